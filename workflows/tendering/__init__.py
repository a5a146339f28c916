"""Tenders with sealed bids: create and publish a tender, suppliers bid until it closes, the bids are opened (with a
signed opening record), evaluated side by side and awarded (with signed award notices), or the tender is cancelled.

One module per stage; each public function is one state change (one transaction, one audit event) through the TENDER
and BID transition tables:
- `lifecycle`: create_tender, publish_tender, cancel_tender;
- `bidding`: submit_bid (with its receipt: the canonical hash, RFC 3161 timestamped when configured), withdraw_bid;
- `opening`: close_tender (by hand), close_due_tenders (the scheduler's sweep at `closes_at`);
- `evaluation`: tender_evaluation (staff, after the close only);
- `awarding`: award_tender (whole or split by line);
- `documents`: the opening record and award notices, issued after the change they record, retried if they failed.
"""

from workflows.tendering.awarding import AwardResult, award_tender
from workflows.tendering.bidding import BidReceipt, recompute_bid_hash, submit_bid, withdraw_bid
from workflows.tendering.documents import issue_award_notices, issue_missing_documents, issue_opening_record
from workflows.tendering.evaluation import TenderEvaluation, tender_evaluation
from workflows.tendering.inputs import AwardLineInput, BidLineInput, TenderInput, TenderLineInput
from workflows.tendering.lifecycle import cancel_tender, create_tender, publish_tender
from workflows.tendering.opening import ClosedTender, close_due_tenders, close_tender

__all__ = [
    "AwardLineInput", "AwardResult", "BidLineInput", "BidReceipt", "ClosedTender", "TenderEvaluation", "TenderInput",
    "TenderLineInput", "award_tender", "cancel_tender", "close_due_tenders", "close_tender", "create_tender",
    "issue_award_notices", "issue_missing_documents", "issue_opening_record", "publish_tender", "recompute_bid_hash",
    "submit_bid", "tender_evaluation", "withdraw_bid",
]
