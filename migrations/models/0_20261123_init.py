"""Migration 0_20261123_init: SQLite and PostgreSQL."""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

UPGRADE = {
    "sqlite": """
        CREATE TABLE IF NOT EXISTS "audit_chain_head" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "seq" BIGINT NOT NULL,
    "hash" VARCHAR(64) NOT NULL
) /* One row, locked by every append, so that concurrent writers extend one chain and never fork it. */;
CREATE TABLE IF NOT EXISTS "calendar_day" (
    "id" CHAR(36) NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMP NOT NULL,
    "day" DATE NOT NULL UNIQUE,
    "is_working_day" INT NOT NULL,
    "note" VARCHAR(100) NOT NULL
) /* An exception to the Monday-to-Friday week: a holiday, or a weekend working day (调休). */;
CREATE TABLE IF NOT EXISTS "escalation_policy" (
    "id" CHAR(36) NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMP NOT NULL,
    "kind" VARCHAR(24) NOT NULL UNIQUE /* CONTRACT: CONTRACT
PURCHASE_ORDER: PURCHASE_ORDER
STATEMENT: STATEMENT
PLAN_REVISION: PLAN_REVISION
TENDER_BID: TENDER_BID */,
    "due_hours" INT /* due this many hours after sending */,
    "due_working_days" INT /* or this many working days (buyer's calendar) */,
    "reminder_hours" JSON NOT NULL /* hours before the due time, e.g. [24, 2] */,
    "escalation_steps" JSON NOT NULL /* [{"after_hours": 0, "to": "OWNER"}, …] */,
    "final_action" VARCHAR(32) NOT NULL /* e.g. EXPIRE_OFFER */,
    "updated_at" TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS "login_failure" (
    "id" CHAR(36) NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMP NOT NULL,
    "key" VARCHAR(100) NOT NULL /* 'account:<sha256 of e-mail>' or 'address:<ip>' */,
    "at" TIMESTAMP NOT NULL
) /* One failed login, counted per account and per address to rate-limit guessing. */;
CREATE INDEX IF NOT EXISTS "idx_login_failu_key_724257" ON "login_failure" ("key", "at");
CREATE TABLE IF NOT EXISTS "number_sequence" (
    "prefix" VARCHAR(16) NOT NULL PRIMARY KEY,
    "value" INT NOT NULL
) /* The last number given for a prefix (`HT-2026`), incremented under a row lock. */;
CREATE TABLE IF NOT EXISTS "organization" (
    "id" CHAR(36) NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMP NOT NULL,
    "kind" VARCHAR(16) NOT NULL /* BUYER: BUYER
SUPPLIER: SUPPLIER */,
    "code" VARCHAR(32) NOT NULL UNIQUE /* short code, e.g. SUP-A */,
    "name_zh" VARCHAR(200) NOT NULL,
    "name_en" VARCHAR(200) NOT NULL,
    "qualification_status" VARCHAR(16) /* APPLIED: APPLIED
QUALIFIED: QUALIFIED
SUSPENDED: SUSPENDED
REJECTED: REJECTED */,
    "categories" JSON NOT NULL /* purchasing categories the supplier serves */,
    "credit_code" VARCHAR(32) NOT NULL /* 统一社会信用代码 */,
    "address" VARCHAR(300) NOT NULL,
    "contact_email" VARCHAR(254) NOT NULL,
    "qualified_at" TIMESTAMP,
    "suspended_at" TIMESTAMP,
    "updated_at" TIMESTAMP NOT NULL
);
CREATE INDEX IF NOT EXISTS "idx_organizatio_kind_b49f5c" ON "organization" ("kind");
CREATE INDEX IF NOT EXISTS "idx_organizatio_qualifi_87a0bc" ON "organization" ("qualification_status");
CREATE TABLE IF NOT EXISTS "document" (
    "id" CHAR(36) NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMP NOT NULL,
    "kind" VARCHAR(32) NOT NULL /* CONTRACT: CONTRACT
PURCHASE_ORDER: PURCHASE_ORDER
STATEMENT: STATEMENT
AWARD_NOTICE: AWARD_NOTICE
TENDER_OPENING_RECORD: TENDER_OPENING_RECORD
PRODUCTION_PLAN: PRODUCTION_PLAN */,
    "number" VARCHAR(32) NOT NULL /* the subject's number, e.g. HT-2026-0001 */,
    "title" VARCHAR(200) NOT NULL,
    "subject_type" VARCHAR(32) NOT NULL,
    "subject_id" CHAR(36) NOT NULL,
    "current_version" INT NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "supplier_id" CHAR(36) REFERENCES "organization" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_document_kind_a88aab" UNIQUE ("kind", "subject_id")
);
CREATE INDEX IF NOT EXISTS "idx_document_kind_b25ee7" ON "document" ("kind");
CREATE INDEX IF NOT EXISTS "idx_document_supplie_ca14b0" ON "document" ("supplier_id", "kind");
CREATE INDEX IF NOT EXISTS "idx_document_subject_373ee1" ON "document" ("subject_type", "subject_id");
CREATE TABLE IF NOT EXISTS "qualification_document" (
    "id" CHAR(36) NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMP NOT NULL,
    "kind" VARCHAR(24) NOT NULL /* BUSINESS_LICENCE: BUSINESS_LICENCE
ISO_9001: ISO_9001
ISO_14001: ISO_14001
IATF_16949: IATF_16949
OTHER: OTHER */,
    "number" VARCHAR(64) NOT NULL,
    "title" VARCHAR(200) NOT NULL,
    "issued_on" DATE,
    "expires_on" DATE,
    "organization_id" CHAR(36) NOT NULL REFERENCES "organization" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_qualificati_expires_000e0b" ON "qualification_document" ("expires_on");
CREATE TABLE IF NOT EXISTS "signing_key" (
    "id" CHAR(36) NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMP NOT NULL,
    "kind" VARCHAR(16) NOT NULL /* ROOT: ROOT
SIGNING: SIGNING */,
    "status" VARCHAR(16) NOT NULL /* ACTIVE: ACTIVE
RETIRED: RETIRED
REVOKED: REVOKED */,
    "subject" VARCHAR(300) NOT NULL,
    "serial" VARCHAR(64) NOT NULL,
    "fingerprint" VARCHAR(64) NOT NULL UNIQUE /* sha256 of the DER certificate */,
    "certificate_pem" TEXT NOT NULL,
    "encrypted_private_key" BLOB NOT NULL,
    "not_before" TIMESTAMP NOT NULL,
    "not_after" TIMESTAMP NOT NULL,
    "revoked_at" TIMESTAMP,
    "revocation_reason" VARCHAR(200) NOT NULL,
    "organization_id" CHAR(36) REFERENCES "organization" ("id") ON DELETE CASCADE
) /* A certificate of the portal's PKI and its private key, encrypted under the master key. */;
CREATE INDEX IF NOT EXISTS "idx_signing_key_organiz_56b46c" ON "signing_key" ("organization_id", "kind", "status");
CREATE TABLE IF NOT EXISTS "user" (
    "id" CHAR(36) NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMP NOT NULL,
    "email" VARCHAR(254) NOT NULL UNIQUE,
    "display_name" VARCHAR(120) NOT NULL,
    "roles" JSON NOT NULL,
    "password_hash" VARCHAR(255) /* argon2id; null until activated */,
    "is_active" INT NOT NULL,
    "locale" VARCHAR(8) NOT NULL,
    "time_zone" VARCHAR(64) NOT NULL,
    "last_login_at" TIMESTAMP,
    "manager_id" CHAR(36) REFERENCES "user" ("id") ON DELETE CASCADE,
    "organization_id" CHAR(36) NOT NULL REFERENCES "organization" ("id") ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS "acknowledgement" (
    "id" CHAR(36) NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMP NOT NULL,
    "kind" VARCHAR(24) NOT NULL /* CONTRACT: CONTRACT
PURCHASE_ORDER: PURCHASE_ORDER
STATEMENT: STATEMENT
PLAN_REVISION: PLAN_REVISION
TENDER_BID: TENDER_BID */,
    "subject_type" VARCHAR(32) NOT NULL,
    "subject_id" CHAR(36) NOT NULL,
    "subject_number" VARCHAR(40) NOT NULL,
    "status" VARCHAR(16) NOT NULL /* PENDING: PENDING
ACKNOWLEDGED: ACKNOWLEDGED
REJECTED: REJECTED
OVERDUE: OVERDUE
ESCALATED: ESCALATED
CANCELLED: CANCELLED */,
    "due_at" TIMESTAMP NOT NULL,
    "escalation_level" INT NOT NULL,
    "reminders_sent" INT NOT NULL,
    "next_action_at" TIMESTAMP /* when the scheduler next looks; null = nothing due */,
    "answered_at" TIMESTAMP,
    "rejection_reason" VARCHAR(1000) NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "answered_by_id" CHAR(36) REFERENCES "user" ("id") ON DELETE CASCADE,
    "document_id" CHAR(36) REFERENCES "document" ("id") ON DELETE CASCADE,
    "owner_id" CHAR(36) NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE,
    "supplier_id" CHAR(36) NOT NULL REFERENCES "organization" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_acknowledge_status_37a746" ON "acknowledgement" ("status", "next_action_at");
CREATE INDEX IF NOT EXISTS "idx_acknowledge_supplie_665e43" ON "acknowledgement" ("supplier_id", "status");
CREATE INDEX IF NOT EXISTS "idx_acknowledge_subject_50cdd2" ON "acknowledgement" ("subject_type", "subject_id");
CREATE TABLE IF NOT EXISTS "audit_event" (
    "id" CHAR(36) NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMP NOT NULL,
    "seq" BIGINT NOT NULL UNIQUE /* position in the chain, from 1 */,
    "action" VARCHAR(64) NOT NULL,
    "subject_type" VARCHAR(32) NOT NULL,
    "subject_id" CHAR(36),
    "data" JSON NOT NULL,
    "prev_hash" VARCHAR(64) NOT NULL,
    "hash" VARCHAR(64) NOT NULL UNIQUE,
    "actor_org_id" CHAR(36) REFERENCES "organization" ("id") ON DELETE CASCADE,
    "actor_user_id" CHAR(36) REFERENCES "user" ("id") ON DELETE CASCADE,
    "supplier_id" CHAR(36) REFERENCES "organization" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_audit_event_action_3fd1cc" ON "audit_event" ("action");
CREATE INDEX IF NOT EXISTS "idx_audit_event_subject_79b3ea" ON "audit_event" ("subject_type", "subject_id");
CREATE TABLE IF NOT EXISTS "auth_token" (
    "id" CHAR(36) NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMP NOT NULL,
    "kind" VARCHAR(16) NOT NULL /* SESSION: SESSION
API: API */,
    "name" VARCHAR(100) NOT NULL,
    "token_hash" VARCHAR(64) NOT NULL UNIQUE,
    "expires_at" TIMESTAMP,
    "revoked_at" TIMESTAMP,
    "last_used_at" TIMESTAMP,
    "created_ip" VARCHAR(64) NOT NULL,
    "user_id" CHAR(36) NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE
) /* A bearer token: only its SHA-256 is stored. Sessions expire; API tokens may not. */;
CREATE TABLE IF NOT EXISTS "document_version" (
    "id" CHAR(36) NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMP NOT NULL,
    "version" INT NOT NULL,
    "sha256" VARCHAR(64) NOT NULL UNIQUE,
    "size" BIGINT NOT NULL,
    "storage_key" VARCHAR(200) NOT NULL,
    "created_by_id" CHAR(36) REFERENCES "user" ("id") ON DELETE CASCADE,
    "document_id" CHAR(36) NOT NULL REFERENCES "document" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_document_ve_documen_2b4939" UNIQUE ("document_id", "version")
);
CREATE TABLE IF NOT EXISTS "idempotency_key" (
    "id" CHAR(36) NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMP NOT NULL,
    "key" VARCHAR(128) NOT NULL,
    "operation" VARCHAR(64) NOT NULL,
    "subject_id" CHAR(36),
    "user_id" CHAR(36) NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_idempotency_user_id_8f6c25" UNIQUE ("user_id", "operation", "key")
) /* A create request's key, so that a retried request creates nothing twice. */;
CREATE TABLE IF NOT EXISTS "notification" (
    "id" CHAR(36) NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMP NOT NULL,
    "kind" VARCHAR(48) NOT NULL,
    "title" VARCHAR(200) NOT NULL,
    "body" TEXT NOT NULL,
    "subject_type" VARCHAR(32) NOT NULL,
    "subject_id" CHAR(36),
    "read_at" TIMESTAMP,
    "user_id" CHAR(36) NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_notificatio_user_id_9f8ad4" ON "notification" ("user_id", "read_at");
CREATE TABLE IF NOT EXISTS "production_plan" (
    "id" CHAR(36) NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMP NOT NULL,
    "number" VARCHAR(32) NOT NULL UNIQUE,
    "title" VARCHAR(200) NOT NULL,
    "status" VARCHAR(16) NOT NULL /* DRAFT: DRAFT
PUBLISHED: PUBLISHED
WITHDRAWN: WITHDRAWN */,
    "horizon_start" DATE NOT NULL,
    "horizon_end" DATE NOT NULL,
    "current_revision" INT NOT NULL /* number of the latest published revision; 0 = none */,
    "published_at" TIMESTAMP,
    "withdrawn_at" TIMESTAMP,
    "updated_at" TIMESTAMP NOT NULL,
    "owner_id" CHAR(36) NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_production__status_b7ec61" ON "production_plan" ("status");
CREATE TABLE IF NOT EXISTS "plan_revision" (
    "id" CHAR(36) NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMP NOT NULL,
    "revision" INT NOT NULL,
    "note" VARCHAR(500) NOT NULL,
    "published_at" TIMESTAMP,
    "plan_id" CHAR(36) NOT NULL REFERENCES "production_plan" ("id") ON DELETE CASCADE,
    "published_by_id" CHAR(36) REFERENCES "user" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_plan_revisi_plan_id_f7e3ed" UNIQUE ("plan_id", "revision")
) /* Revision 0 is the editable draft; revisions 1, 2, … are published and never change. */;
CREATE TABLE IF NOT EXISTS "plan_line" (
    "id" CHAR(36) NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMP NOT NULL,
    "line_no" INT NOT NULL,
    "item_code" VARCHAR(64) NOT NULL,
    "item_name" VARCHAR(200) NOT NULL,
    "plant" VARCHAR(64) NOT NULL,
    "week" VARCHAR(8) NOT NULL /* ISO week, e.g. 2026-W49 */,
    "quantity" VARCHAR(40) NOT NULL,
    "unit" VARCHAR(16) NOT NULL,
    "expected_supplier_id" CHAR(36) REFERENCES "organization" ("id") ON DELETE CASCADE,
    "revision_id" CHAR(36) NOT NULL REFERENCES "plan_revision" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_plan_line_revisio_1f0bbb" UNIQUE ("revision_id", "line_no")
);
CREATE TABLE IF NOT EXISTS "plan_commitment" (
    "id" CHAR(36) NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMP NOT NULL,
    "quantity" VARCHAR(40) NOT NULL,
    "note" VARCHAR(500) NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "committed_by_id" CHAR(36) NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE,
    "line_id" CHAR(36) NOT NULL REFERENCES "plan_line" ("id") ON DELETE CASCADE,
    "supplier_id" CHAR(36) NOT NULL REFERENCES "organization" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_plan_commit_line_id_450e46" UNIQUE ("line_id", "supplier_id")
);
CREATE TABLE IF NOT EXISTS "plan_recipient" (
    "id" CHAR(36) NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMP NOT NULL,
    "plan_id" CHAR(36) NOT NULL REFERENCES "production_plan" ("id") ON DELETE CASCADE,
    "revision_id" CHAR(36) NOT NULL REFERENCES "plan_revision" ("id") ON DELETE CASCADE,
    "supplier_id" CHAR(36) NOT NULL REFERENCES "organization" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_plan_recipi_revisio_133626" UNIQUE ("revision_id", "supplier_id")
) /* A supplier a published revision was addressed to: what makes a plan visible to that supplier. */;
CREATE INDEX IF NOT EXISTS "idx_plan_recipi_supplie_7904da" ON "plan_recipient" ("supplier_id", "plan_id");
CREATE TABLE IF NOT EXISTS "signature" (
    "id" CHAR(36) NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMP NOT NULL,
    "field_name" VARCHAR(64) NOT NULL,
    "certificate_fingerprint" VARCHAR(64) NOT NULL,
    "signed_at" TIMESTAMP NOT NULL,
    "reason" VARCHAR(200) NOT NULL,
    "timestamp_token" BLOB,
    "signer_org_id" CHAR(36) NOT NULL REFERENCES "organization" ("id") ON DELETE CASCADE,
    "signer_user_id" CHAR(36) REFERENCES "user" ("id") ON DELETE CASCADE,
    "version_id" CHAR(36) NOT NULL REFERENCES "document_version" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_signature_certifi_d22e82" ON "signature" ("certificate_fingerprint");
CREATE TABLE IF NOT EXISTS "statement" (
    "id" CHAR(36) NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMP NOT NULL,
    "number" VARCHAR(32) NOT NULL UNIQUE,
    "period" VARCHAR(7) NOT NULL /* YYYY-MM */,
    "period_start" DATE NOT NULL,
    "period_end" DATE NOT NULL,
    "version" INT NOT NULL,
    "status" VARCHAR(16) NOT NULL /* DRAFT: DRAFT
ISSUED: ISSUED
CONFIRMED: CONFIRMED
DISPUTED: DISPUTED
SUPERSEDED: SUPERSEDED */,
    "currency" VARCHAR(3) NOT NULL,
    "goods_amount" VARCHAR(40) NOT NULL,
    "deduction_amount" VARCHAR(40) NOT NULL,
    "total_amount" VARCHAR(40) NOT NULL,
    "issued_at" TIMESTAMP,
    "confirmed_at" TIMESTAMP,
    "disputed_at" TIMESTAMP,
    "updated_at" TIMESTAMP NOT NULL,
    "owner_id" CHAR(36) NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE,
    "previous_id" CHAR(36) REFERENCES "statement" ("id") ON DELETE CASCADE,
    "supplier_id" CHAR(36) NOT NULL REFERENCES "organization" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_statement_supplie_d39a5c" UNIQUE ("supplier_id", "period", "version")
);
CREATE INDEX IF NOT EXISTS "idx_statement_status_dc63de" ON "statement" ("status");
CREATE TABLE IF NOT EXISTS "tender" (
    "id" CHAR(36) NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMP NOT NULL,
    "number" VARCHAR(32) NOT NULL UNIQUE,
    "title" VARCHAR(200) NOT NULL,
    "description" TEXT NOT NULL,
    "status" VARCHAR(16) NOT NULL /* DRAFT: DRAFT
PUBLISHED: PUBLISHED
CLOSED: CLOSED
AWARDED: AWARDED
CANCELLED: CANCELLED */,
    "visibility" VARCHAR(16) NOT NULL /* INVITED: INVITED
OPEN: OPEN */,
    "category" VARCHAR(64) NOT NULL,
    "currency" VARCHAR(3) NOT NULL,
    "opens_at" TIMESTAMP,
    "closes_at" TIMESTAMP NOT NULL,
    "published_at" TIMESTAMP,
    "closed_at" TIMESTAMP,
    "awarded_at" TIMESTAMP,
    "cancelled_at" TIMESTAMP,
    "cancel_reason" VARCHAR(500) NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "owner_id" CHAR(36) NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_tender_status_47469d" ON "tender" ("status");
CREATE INDEX IF NOT EXISTS "idx_tender_closes__20270f" ON "tender" ("closes_at");
CREATE TABLE IF NOT EXISTS "bid" (
    "id" CHAR(36) NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMP NOT NULL,
    "status" VARCHAR(16) NOT NULL /* DRAFT: DRAFT
SUBMITTED: SUBMITTED
WITHDRAWN: WITHDRAWN */,
    "currency" VARCHAR(3) NOT NULL,
    "total_amount" VARCHAR(40) NOT NULL,
    "note" VARCHAR(1000) NOT NULL,
    "revision" INT NOT NULL /* incremented at each submission */,
    "submitted_at" TIMESTAMP,
    "withdrawn_at" TIMESTAMP,
    "content_hash" VARCHAR(64) NOT NULL /* sha256 of the canonical bid */,
    "timestamp_token" BLOB /* RFC 3161 token over content_hash */,
    "updated_at" TIMESTAMP NOT NULL,
    "supplier_id" CHAR(36) NOT NULL REFERENCES "organization" ("id") ON DELETE CASCADE,
    "tender_id" CHAR(36) NOT NULL REFERENCES "tender" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_bid_tender__5d89f6" UNIQUE ("tender_id", "supplier_id")
) /* A supplier's bid. Its prices are sealed until the tender closes: see workflows.visibility. */;
CREATE TABLE IF NOT EXISTS "contract" (
    "id" CHAR(36) NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMP NOT NULL,
    "number" VARCHAR(32) NOT NULL UNIQUE,
    "title" VARCHAR(200) NOT NULL,
    "status" VARCHAR(16) NOT NULL /* DRAFT: DRAFT
ISSUED: ISSUED
SIGNED: SIGNED
REJECTED: REJECTED
EXPIRED: EXPIRED */,
    "currency" VARCHAR(3) NOT NULL,
    "total_amount" VARCHAR(40) NOT NULL,
    "valid_from" DATE NOT NULL,
    "valid_to" DATE NOT NULL,
    "issued_at" TIMESTAMP,
    "signed_at" TIMESTAMP,
    "rejected_at" TIMESTAMP,
    "rejection_reason" VARCHAR(1000) NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "amends_id" CHAR(36) REFERENCES "contract" ("id") ON DELETE CASCADE,
    "owner_id" CHAR(36) NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE,
    "supplier_id" CHAR(36) NOT NULL REFERENCES "organization" ("id") ON DELETE CASCADE,
    "tender_id" CHAR(36) REFERENCES "tender" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_contract_status_67ef33" ON "contract" ("status");
CREATE INDEX IF NOT EXISTS "idx_contract_supplie_4ee7e8" ON "contract" ("supplier_id", "status");
CREATE TABLE IF NOT EXISTS "contract_line" (
    "id" CHAR(36) NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMP NOT NULL,
    "line_no" INT NOT NULL,
    "item_code" VARCHAR(64) NOT NULL,
    "item_name" VARCHAR(200) NOT NULL,
    "quantity" VARCHAR(40) NOT NULL,
    "unit" VARCHAR(16) NOT NULL,
    "unit_price" VARCHAR(40) NOT NULL,
    "amount" VARCHAR(40) NOT NULL,
    "contract_id" CHAR(36) NOT NULL REFERENCES "contract" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_contract_li_contrac_7074a3" UNIQUE ("contract_id", "line_no")
);
CREATE TABLE IF NOT EXISTS "purchase_order" (
    "id" CHAR(36) NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMP NOT NULL,
    "number" VARCHAR(32) NOT NULL UNIQUE,
    "status" VARCHAR(16) NOT NULL /* ISSUED: ISSUED
CHANGE_PROPOSED: CHANGE_PROPOSED
CONFIRMED: CONFIRMED
REJECTED: REJECTED
CANCELLED: CANCELLED
CLOSED: CLOSED */,
    "currency" VARCHAR(3) NOT NULL,
    "total_amount" VARCHAR(40) NOT NULL,
    "plant" VARCHAR(64) NOT NULL,
    "delivery_address" VARCHAR(300) NOT NULL,
    "price_override_reason" VARCHAR(500) NOT NULL,
    "issued_at" TIMESTAMP,
    "confirmed_at" TIMESTAMP,
    "cancelled_at" TIMESTAMP,
    "closed_at" TIMESTAMP,
    "updated_at" TIMESTAMP NOT NULL,
    "contract_id" CHAR(36) REFERENCES "contract" ("id") ON DELETE CASCADE,
    "owner_id" CHAR(36) NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE,
    "supplier_id" CHAR(36) NOT NULL REFERENCES "organization" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_purchase_or_status_f62522" ON "purchase_order" ("status");
CREATE INDEX IF NOT EXISTS "idx_purchase_or_supplie_e27320" ON "purchase_order" ("supplier_id", "status");
CREATE TABLE IF NOT EXISTS "goods_receipt" (
    "id" CHAR(36) NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMP NOT NULL,
    "number" VARCHAR(32) NOT NULL UNIQUE,
    "received_at" TIMESTAMP NOT NULL,
    "plant" VARCHAR(64) NOT NULL,
    "note" VARCHAR(500) NOT NULL,
    "order_id" CHAR(36) NOT NULL REFERENCES "purchase_order" ("id") ON DELETE CASCADE,
    "recorded_by_id" CHAR(36) NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE,
    "supplier_id" CHAR(36) NOT NULL REFERENCES "organization" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_goods_recei_receive_452f29" ON "goods_receipt" ("received_at");
CREATE INDEX IF NOT EXISTS "idx_goods_recei_supplie_b39d17" ON "goods_receipt" ("supplier_id", "received_at");
CREATE TABLE IF NOT EXISTS "purchase_order_line" (
    "id" CHAR(36) NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMP NOT NULL,
    "line_no" INT NOT NULL,
    "item_code" VARCHAR(64) NOT NULL,
    "item_name" VARCHAR(200) NOT NULL,
    "quantity" VARCHAR(40) NOT NULL,
    "unit" VARCHAR(16) NOT NULL,
    "unit_price" VARCHAR(40) NOT NULL,
    "amount" VARCHAR(40) NOT NULL,
    "delivery_date" DATE NOT NULL,
    "received_quantity" VARCHAR(40) NOT NULL,
    "proposed_quantity" VARCHAR(40),
    "proposed_delivery_date" DATE,
    "change_note" VARCHAR(500) NOT NULL,
    "order_id" CHAR(36) NOT NULL REFERENCES "purchase_order" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_purchase_or_order_i_902757" UNIQUE ("order_id", "line_no")
);
CREATE TABLE IF NOT EXISTS "goods_receipt_line" (
    "id" CHAR(36) NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMP NOT NULL,
    "received_quantity" VARCHAR(40) NOT NULL,
    "rejected_quantity" VARCHAR(40) NOT NULL,
    "order_line_id" CHAR(36) NOT NULL REFERENCES "purchase_order_line" ("id") ON DELETE CASCADE,
    "receipt_id" CHAR(36) NOT NULL REFERENCES "goods_receipt" ("id") ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS "statement_line" (
    "id" CHAR(36) NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMP NOT NULL,
    "line_no" INT NOT NULL,
    "kind" VARCHAR(16) NOT NULL /* RECEIPT: RECEIPT
DEDUCTION: DEDUCTION */,
    "description" VARCHAR(300) NOT NULL,
    "quantity" VARCHAR(40) NOT NULL,
    "unit_price" VARCHAR(40) NOT NULL,
    "amount" VARCHAR(40) NOT NULL,
    "receipt_line_id" CHAR(36) REFERENCES "goods_receipt_line" ("id") ON DELETE CASCADE,
    "statement_id" CHAR(36) NOT NULL REFERENCES "statement" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_statement_l_stateme_78dcb2" UNIQUE ("statement_id", "line_no")
);
CREATE TABLE IF NOT EXISTS "dispute" (
    "id" CHAR(36) NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMP NOT NULL,
    "reason" VARCHAR(1000) NOT NULL,
    "resolved_at" TIMESTAMP,
    "resolution" VARCHAR(1000) NOT NULL,
    "raised_by_id" CHAR(36) NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE,
    "statement_id" CHAR(36) NOT NULL REFERENCES "statement" ("id") ON DELETE CASCADE,
    "statement_line_id" CHAR(36) REFERENCES "statement_line" ("id") ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS "tender_invitation" (
    "id" CHAR(36) NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMP NOT NULL,
    "declined_at" TIMESTAMP,
    "decline_reason" VARCHAR(500) NOT NULL,
    "supplier_id" CHAR(36) NOT NULL REFERENCES "organization" ("id") ON DELETE CASCADE,
    "tender_id" CHAR(36) NOT NULL REFERENCES "tender" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_tender_invi_tender__46b5ac" UNIQUE ("tender_id", "supplier_id")
) /* Who may bid. An open tender gets one row per qualified supplier of its category when published. */;
CREATE INDEX IF NOT EXISTS "idx_tender_invi_supplie_5ac377" ON "tender_invitation" ("supplier_id", "tender_id");
CREATE TABLE IF NOT EXISTS "tender_line" (
    "id" CHAR(36) NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMP NOT NULL,
    "line_no" INT NOT NULL,
    "item_code" VARCHAR(64) NOT NULL,
    "item_name" VARCHAR(200) NOT NULL,
    "specification" VARCHAR(500) NOT NULL,
    "quantity" VARCHAR(40) NOT NULL,
    "unit" VARCHAR(16) NOT NULL,
    "required_by" DATE,
    "tender_id" CHAR(36) NOT NULL REFERENCES "tender" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_tender_line_tender__6cc6d9" UNIQUE ("tender_id", "line_no")
);
CREATE TABLE IF NOT EXISTS "award" (
    "id" CHAR(36) NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMP NOT NULL,
    "quantity" VARCHAR(40) NOT NULL,
    "unit_price" VARCHAR(40) NOT NULL,
    "amount" VARCHAR(40) NOT NULL,
    "awarded_by_id" CHAR(36) NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE,
    "bid_id" CHAR(36) NOT NULL REFERENCES "bid" ("id") ON DELETE CASCADE,
    "supplier_id" CHAR(36) NOT NULL REFERENCES "organization" ("id") ON DELETE CASCADE,
    "tender_id" CHAR(36) NOT NULL REFERENCES "tender" ("id") ON DELETE CASCADE,
    "tender_line_id" CHAR(36) REFERENCES "tender_line" ("id") ON DELETE CASCADE
) /* An award of a whole tender (tender_line null) or of one line, to one supplier's bid. */;
CREATE TABLE IF NOT EXISTS "bid_line" (
    "id" CHAR(36) NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMP NOT NULL,
    "unit_price" VARCHAR(40) NOT NULL,
    "quantity" VARCHAR(40) NOT NULL,
    "amount" VARCHAR(40) NOT NULL,
    "delivery_days" INT NOT NULL,
    "note" VARCHAR(500) NOT NULL,
    "bid_id" CHAR(36) NOT NULL REFERENCES "bid" ("id") ON DELETE CASCADE,
    "tender_line_id" CHAR(36) NOT NULL REFERENCES "tender_line" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_bid_line_bid_id_c548eb" UNIQUE ("bid_id", "tender_line_id")
);
CREATE TABLE IF NOT EXISTS "webhook_endpoint" (
    "id" CHAR(36) NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMP NOT NULL,
    "url" VARCHAR(500) NOT NULL,
    "encrypted_secret" BLOB NOT NULL,
    "events" JSON NOT NULL,
    "is_active" INT NOT NULL,
    "consecutive_failures" INT NOT NULL,
    "disabled_at" TIMESTAMP,
    "organization_id" CHAR(36) NOT NULL REFERENCES "organization" ("id") ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS "outbox_message" (
    "id" CHAR(36) NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMP NOT NULL,
    "channel" VARCHAR(16) NOT NULL /* EMAIL: EMAIL
WEBHOOK: WEBHOOK */,
    "idempotency_key" VARCHAR(128) NOT NULL UNIQUE,
    "recipient" VARCHAR(500) NOT NULL /* an e-mail address or a webhook endpoint id */,
    "payload" JSON NOT NULL,
    "status" VARCHAR(16) NOT NULL /* PENDING: PENDING
SENT: SENT
FAILED: FAILED
DEAD: DEAD */,
    "attempts" INT NOT NULL,
    "next_attempt_at" TIMESTAMP,
    "last_error" VARCHAR(1000) NOT NULL,
    "sent_at" TIMESTAMP,
    "endpoint_id" CHAR(36) REFERENCES "webhook_endpoint" ("id") ON DELETE CASCADE
) /* A message to deliver at least once; `idempotency_key` lets receivers drop repeats. */;
CREATE INDEX IF NOT EXISTS "idx_outbox_mess_status_4d04e0" ON "outbox_message" ("status", "next_attempt_at");
CREATE TABLE IF NOT EXISTS "webhook_delivery" (
    "id" CHAR(36) NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMP NOT NULL,
    "attempt" INT NOT NULL,
    "status_code" INT,
    "error" VARCHAR(1000) NOT NULL,
    "duration_ms" INT NOT NULL,
    "message_id" CHAR(36) NOT NULL REFERENCES "outbox_message" ("id") ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS "aerich" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "version" VARCHAR(255) NOT NULL,
    "app" VARCHAR(100) NOT NULL,
    "content" JSON NOT NULL
);""",
    "postgres": """
        CREATE TABLE IF NOT EXISTS "audit_chain_head" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "seq" BIGINT NOT NULL,
    "hash" VARCHAR(64) NOT NULL
);
COMMENT ON TABLE "audit_chain_head" IS 'One row, locked by every append, so that concurrent writers extend one chain and never fork it.';
CREATE TABLE IF NOT EXISTS "calendar_day" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "day" DATE NOT NULL UNIQUE,
    "is_working_day" BOOL NOT NULL,
    "note" VARCHAR(100) NOT NULL
);
COMMENT ON TABLE "calendar_day" IS 'An exception to the Monday-to-Friday week: a holiday, or a weekend working day (调休).';
CREATE TABLE IF NOT EXISTS "escalation_policy" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "kind" VARCHAR(24) NOT NULL UNIQUE,
    "due_hours" INT,
    "due_working_days" INT,
    "reminder_hours" JSONB NOT NULL,
    "escalation_steps" JSONB NOT NULL,
    "final_action" VARCHAR(32) NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL
);
COMMENT ON COLUMN "escalation_policy"."kind" IS 'CONTRACT: CONTRACT
PURCHASE_ORDER: PURCHASE_ORDER
STATEMENT: STATEMENT
PLAN_REVISION: PLAN_REVISION
TENDER_BID: TENDER_BID';
COMMENT ON COLUMN "escalation_policy"."due_hours" IS 'due this many hours after sending';
COMMENT ON COLUMN "escalation_policy"."due_working_days" IS 'or this many working days (buyer''s calendar)';
COMMENT ON COLUMN "escalation_policy"."reminder_hours" IS 'hours before the due time, e.g. [24, 2]';
COMMENT ON COLUMN "escalation_policy"."escalation_steps" IS '[{"after_hours": 0, "to": "OWNER"}, …]';
COMMENT ON COLUMN "escalation_policy"."final_action" IS 'e.g. EXPIRE_OFFER';
CREATE TABLE IF NOT EXISTS "login_failure" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "key" VARCHAR(100) NOT NULL,
    "at" TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS "idx_login_failu_key_724257" ON "login_failure" ("key", "at");
COMMENT ON COLUMN "login_failure"."key" IS '''account:<sha256 of e-mail>'' or ''address:<ip>''';
COMMENT ON TABLE "login_failure" IS 'One failed login, counted per account and per address to rate-limit guessing.';
CREATE TABLE IF NOT EXISTS "number_sequence" (
    "prefix" VARCHAR(16) NOT NULL PRIMARY KEY,
    "value" INT NOT NULL
);
COMMENT ON TABLE "number_sequence" IS 'The last number given for a prefix (`HT-2026`), incremented under a row lock.';
CREATE TABLE IF NOT EXISTS "organization" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "kind" VARCHAR(16) NOT NULL,
    "code" VARCHAR(32) NOT NULL UNIQUE,
    "name_zh" VARCHAR(200) NOT NULL,
    "name_en" VARCHAR(200) NOT NULL,
    "qualification_status" VARCHAR(16),
    "categories" JSONB NOT NULL,
    "credit_code" VARCHAR(32) NOT NULL,
    "address" VARCHAR(300) NOT NULL,
    "contact_email" VARCHAR(254) NOT NULL,
    "qualified_at" TIMESTAMPTZ,
    "suspended_at" TIMESTAMPTZ,
    "updated_at" TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS "idx_organizatio_kind_b49f5c" ON "organization" ("kind");
CREATE INDEX IF NOT EXISTS "idx_organizatio_qualifi_87a0bc" ON "organization" ("qualification_status");
COMMENT ON COLUMN "organization"."kind" IS 'BUYER: BUYER
SUPPLIER: SUPPLIER';
COMMENT ON COLUMN "organization"."code" IS 'short code, e.g. SUP-A';
COMMENT ON COLUMN "organization"."qualification_status" IS 'APPLIED: APPLIED
QUALIFIED: QUALIFIED
SUSPENDED: SUSPENDED
REJECTED: REJECTED';
COMMENT ON COLUMN "organization"."categories" IS 'purchasing categories the supplier serves';
COMMENT ON COLUMN "organization"."credit_code" IS '统一社会信用代码';
CREATE TABLE IF NOT EXISTS "document" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "kind" VARCHAR(32) NOT NULL,
    "number" VARCHAR(32) NOT NULL,
    "title" VARCHAR(200) NOT NULL,
    "subject_type" VARCHAR(32) NOT NULL,
    "subject_id" UUID NOT NULL,
    "current_version" INT NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "supplier_id" UUID REFERENCES "organization" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_document_kind_a88aab" UNIQUE ("kind", "subject_id")
);
CREATE INDEX IF NOT EXISTS "idx_document_kind_b25ee7" ON "document" ("kind");
CREATE INDEX IF NOT EXISTS "idx_document_supplie_ca14b0" ON "document" ("supplier_id", "kind");
CREATE INDEX IF NOT EXISTS "idx_document_subject_373ee1" ON "document" ("subject_type", "subject_id");
COMMENT ON COLUMN "document"."kind" IS 'CONTRACT: CONTRACT
PURCHASE_ORDER: PURCHASE_ORDER
STATEMENT: STATEMENT
AWARD_NOTICE: AWARD_NOTICE
TENDER_OPENING_RECORD: TENDER_OPENING_RECORD
PRODUCTION_PLAN: PRODUCTION_PLAN';
COMMENT ON COLUMN "document"."number" IS 'the subject''s number, e.g. HT-2026-0001';
CREATE TABLE IF NOT EXISTS "qualification_document" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "kind" VARCHAR(24) NOT NULL,
    "number" VARCHAR(64) NOT NULL,
    "title" VARCHAR(200) NOT NULL,
    "issued_on" DATE,
    "expires_on" DATE,
    "organization_id" UUID NOT NULL REFERENCES "organization" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_qualificati_expires_000e0b" ON "qualification_document" ("expires_on");
COMMENT ON COLUMN "qualification_document"."kind" IS 'BUSINESS_LICENCE: BUSINESS_LICENCE
ISO_9001: ISO_9001
ISO_14001: ISO_14001
IATF_16949: IATF_16949
OTHER: OTHER';
CREATE TABLE IF NOT EXISTS "signing_key" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "kind" VARCHAR(16) NOT NULL,
    "status" VARCHAR(16) NOT NULL,
    "subject" VARCHAR(300) NOT NULL,
    "serial" VARCHAR(64) NOT NULL,
    "fingerprint" VARCHAR(64) NOT NULL UNIQUE,
    "certificate_pem" TEXT NOT NULL,
    "encrypted_private_key" BYTEA NOT NULL,
    "not_before" TIMESTAMPTZ NOT NULL,
    "not_after" TIMESTAMPTZ NOT NULL,
    "revoked_at" TIMESTAMPTZ,
    "revocation_reason" VARCHAR(200) NOT NULL,
    "organization_id" UUID REFERENCES "organization" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_signing_key_organiz_56b46c" ON "signing_key" ("organization_id", "kind", "status");
COMMENT ON COLUMN "signing_key"."kind" IS 'ROOT: ROOT
SIGNING: SIGNING';
COMMENT ON COLUMN "signing_key"."status" IS 'ACTIVE: ACTIVE
RETIRED: RETIRED
REVOKED: REVOKED';
COMMENT ON COLUMN "signing_key"."fingerprint" IS 'sha256 of the DER certificate';
COMMENT ON TABLE "signing_key" IS 'A certificate of the portal''s PKI and its private key, encrypted under the master key.';
CREATE TABLE IF NOT EXISTS "user" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "email" VARCHAR(254) NOT NULL UNIQUE,
    "display_name" VARCHAR(120) NOT NULL,
    "roles" JSONB NOT NULL,
    "password_hash" VARCHAR(255),
    "is_active" BOOL NOT NULL,
    "locale" VARCHAR(8) NOT NULL,
    "time_zone" VARCHAR(64) NOT NULL,
    "last_login_at" TIMESTAMPTZ,
    "manager_id" UUID REFERENCES "user" ("id") ON DELETE CASCADE,
    "organization_id" UUID NOT NULL REFERENCES "organization" ("id") ON DELETE CASCADE
);
COMMENT ON COLUMN "user"."password_hash" IS 'argon2id; null until activated';
CREATE TABLE IF NOT EXISTS "acknowledgement" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "kind" VARCHAR(24) NOT NULL,
    "subject_type" VARCHAR(32) NOT NULL,
    "subject_id" UUID NOT NULL,
    "subject_number" VARCHAR(40) NOT NULL,
    "status" VARCHAR(16) NOT NULL,
    "due_at" TIMESTAMPTZ NOT NULL,
    "escalation_level" INT NOT NULL,
    "reminders_sent" INT NOT NULL,
    "next_action_at" TIMESTAMPTZ,
    "answered_at" TIMESTAMPTZ,
    "rejection_reason" VARCHAR(1000) NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "answered_by_id" UUID REFERENCES "user" ("id") ON DELETE CASCADE,
    "document_id" UUID REFERENCES "document" ("id") ON DELETE CASCADE,
    "owner_id" UUID NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE,
    "supplier_id" UUID NOT NULL REFERENCES "organization" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_acknowledge_status_37a746" ON "acknowledgement" ("status", "next_action_at");
CREATE INDEX IF NOT EXISTS "idx_acknowledge_supplie_665e43" ON "acknowledgement" ("supplier_id", "status");
CREATE INDEX IF NOT EXISTS "idx_acknowledge_subject_50cdd2" ON "acknowledgement" ("subject_type", "subject_id");
COMMENT ON COLUMN "acknowledgement"."kind" IS 'CONTRACT: CONTRACT
PURCHASE_ORDER: PURCHASE_ORDER
STATEMENT: STATEMENT
PLAN_REVISION: PLAN_REVISION
TENDER_BID: TENDER_BID';
COMMENT ON COLUMN "acknowledgement"."status" IS 'PENDING: PENDING
ACKNOWLEDGED: ACKNOWLEDGED
REJECTED: REJECTED
OVERDUE: OVERDUE
ESCALATED: ESCALATED
CANCELLED: CANCELLED';
COMMENT ON COLUMN "acknowledgement"."next_action_at" IS 'when the scheduler next looks; null = nothing due';
CREATE TABLE IF NOT EXISTS "audit_event" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "seq" BIGINT NOT NULL UNIQUE,
    "action" VARCHAR(64) NOT NULL,
    "subject_type" VARCHAR(32) NOT NULL,
    "subject_id" UUID,
    "data" JSONB NOT NULL,
    "prev_hash" VARCHAR(64) NOT NULL,
    "hash" VARCHAR(64) NOT NULL UNIQUE,
    "actor_org_id" UUID REFERENCES "organization" ("id") ON DELETE CASCADE,
    "actor_user_id" UUID REFERENCES "user" ("id") ON DELETE CASCADE,
    "supplier_id" UUID REFERENCES "organization" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_audit_event_action_3fd1cc" ON "audit_event" ("action");
CREATE INDEX IF NOT EXISTS "idx_audit_event_subject_79b3ea" ON "audit_event" ("subject_type", "subject_id");
COMMENT ON COLUMN "audit_event"."seq" IS 'position in the chain, from 1';
CREATE TABLE IF NOT EXISTS "auth_token" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "kind" VARCHAR(16) NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "token_hash" VARCHAR(64) NOT NULL UNIQUE,
    "expires_at" TIMESTAMPTZ,
    "revoked_at" TIMESTAMPTZ,
    "last_used_at" TIMESTAMPTZ,
    "created_ip" VARCHAR(64) NOT NULL,
    "user_id" UUID NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE
);
COMMENT ON COLUMN "auth_token"."kind" IS 'SESSION: SESSION
API: API';
COMMENT ON TABLE "auth_token" IS 'A bearer token: only its SHA-256 is stored. Sessions expire; API tokens may not.';
CREATE TABLE IF NOT EXISTS "document_version" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "version" INT NOT NULL,
    "sha256" VARCHAR(64) NOT NULL UNIQUE,
    "size" BIGINT NOT NULL,
    "storage_key" VARCHAR(200) NOT NULL,
    "created_by_id" UUID REFERENCES "user" ("id") ON DELETE CASCADE,
    "document_id" UUID NOT NULL REFERENCES "document" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_document_ve_documen_2b4939" UNIQUE ("document_id", "version")
);
CREATE TABLE IF NOT EXISTS "idempotency_key" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "key" VARCHAR(128) NOT NULL,
    "operation" VARCHAR(64) NOT NULL,
    "subject_id" UUID,
    "user_id" UUID NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_idempotency_user_id_8f6c25" UNIQUE ("user_id", "operation", "key")
);
COMMENT ON TABLE "idempotency_key" IS 'A create request''s key, so that a retried request creates nothing twice.';
CREATE TABLE IF NOT EXISTS "notification" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "kind" VARCHAR(48) NOT NULL,
    "title" VARCHAR(200) NOT NULL,
    "body" TEXT NOT NULL,
    "subject_type" VARCHAR(32) NOT NULL,
    "subject_id" UUID,
    "read_at" TIMESTAMPTZ,
    "user_id" UUID NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_notificatio_user_id_9f8ad4" ON "notification" ("user_id", "read_at");
CREATE TABLE IF NOT EXISTS "production_plan" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "number" VARCHAR(32) NOT NULL UNIQUE,
    "title" VARCHAR(200) NOT NULL,
    "status" VARCHAR(16) NOT NULL,
    "horizon_start" DATE NOT NULL,
    "horizon_end" DATE NOT NULL,
    "current_revision" INT NOT NULL,
    "published_at" TIMESTAMPTZ,
    "withdrawn_at" TIMESTAMPTZ,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "owner_id" UUID NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_production__status_b7ec61" ON "production_plan" ("status");
COMMENT ON COLUMN "production_plan"."status" IS 'DRAFT: DRAFT
PUBLISHED: PUBLISHED
WITHDRAWN: WITHDRAWN';
COMMENT ON COLUMN "production_plan"."current_revision" IS 'number of the latest published revision; 0 = none';
CREATE TABLE IF NOT EXISTS "plan_revision" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "revision" INT NOT NULL,
    "note" VARCHAR(500) NOT NULL,
    "published_at" TIMESTAMPTZ,
    "plan_id" UUID NOT NULL REFERENCES "production_plan" ("id") ON DELETE CASCADE,
    "published_by_id" UUID REFERENCES "user" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_plan_revisi_plan_id_f7e3ed" UNIQUE ("plan_id", "revision")
);
COMMENT ON TABLE "plan_revision" IS 'Revision 0 is the editable draft; revisions 1, 2, … are published and never change.';
CREATE TABLE IF NOT EXISTS "plan_line" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "line_no" INT NOT NULL,
    "item_code" VARCHAR(64) NOT NULL,
    "item_name" VARCHAR(200) NOT NULL,
    "plant" VARCHAR(64) NOT NULL,
    "week" VARCHAR(8) NOT NULL,
    "quantity" DECIMAL(18,3) NOT NULL,
    "unit" VARCHAR(16) NOT NULL,
    "expected_supplier_id" UUID REFERENCES "organization" ("id") ON DELETE CASCADE,
    "revision_id" UUID NOT NULL REFERENCES "plan_revision" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_plan_line_revisio_1f0bbb" UNIQUE ("revision_id", "line_no")
);
COMMENT ON COLUMN "plan_line"."week" IS 'ISO week, e.g. 2026-W49';
CREATE TABLE IF NOT EXISTS "plan_commitment" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "quantity" DECIMAL(18,3) NOT NULL,
    "note" VARCHAR(500) NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "committed_by_id" UUID NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE,
    "line_id" UUID NOT NULL REFERENCES "plan_line" ("id") ON DELETE CASCADE,
    "supplier_id" UUID NOT NULL REFERENCES "organization" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_plan_commit_line_id_450e46" UNIQUE ("line_id", "supplier_id")
);
CREATE TABLE IF NOT EXISTS "plan_recipient" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "plan_id" UUID NOT NULL REFERENCES "production_plan" ("id") ON DELETE CASCADE,
    "revision_id" UUID NOT NULL REFERENCES "plan_revision" ("id") ON DELETE CASCADE,
    "supplier_id" UUID NOT NULL REFERENCES "organization" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_plan_recipi_revisio_133626" UNIQUE ("revision_id", "supplier_id")
);
CREATE INDEX IF NOT EXISTS "idx_plan_recipi_supplie_7904da" ON "plan_recipient" ("supplier_id", "plan_id");
COMMENT ON TABLE "plan_recipient" IS 'A supplier a published revision was addressed to: what makes a plan visible to that supplier.';
CREATE TABLE IF NOT EXISTS "signature" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "field_name" VARCHAR(64) NOT NULL,
    "certificate_fingerprint" VARCHAR(64) NOT NULL,
    "signed_at" TIMESTAMPTZ NOT NULL,
    "reason" VARCHAR(200) NOT NULL,
    "timestamp_token" BYTEA,
    "signer_org_id" UUID NOT NULL REFERENCES "organization" ("id") ON DELETE CASCADE,
    "signer_user_id" UUID REFERENCES "user" ("id") ON DELETE CASCADE,
    "version_id" UUID NOT NULL REFERENCES "document_version" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_signature_certifi_d22e82" ON "signature" ("certificate_fingerprint");
CREATE TABLE IF NOT EXISTS "statement" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "number" VARCHAR(32) NOT NULL UNIQUE,
    "period" VARCHAR(7) NOT NULL,
    "period_start" DATE NOT NULL,
    "period_end" DATE NOT NULL,
    "version" INT NOT NULL,
    "status" VARCHAR(16) NOT NULL,
    "currency" VARCHAR(3) NOT NULL,
    "goods_amount" DECIMAL(18,2) NOT NULL,
    "deduction_amount" DECIMAL(18,2) NOT NULL,
    "total_amount" DECIMAL(18,2) NOT NULL,
    "issued_at" TIMESTAMPTZ,
    "confirmed_at" TIMESTAMPTZ,
    "disputed_at" TIMESTAMPTZ,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "owner_id" UUID NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE,
    "previous_id" UUID REFERENCES "statement" ("id") ON DELETE CASCADE,
    "supplier_id" UUID NOT NULL REFERENCES "organization" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_statement_supplie_d39a5c" UNIQUE ("supplier_id", "period", "version")
);
CREATE INDEX IF NOT EXISTS "idx_statement_status_dc63de" ON "statement" ("status");
COMMENT ON COLUMN "statement"."period" IS 'YYYY-MM';
COMMENT ON COLUMN "statement"."status" IS 'DRAFT: DRAFT
ISSUED: ISSUED
CONFIRMED: CONFIRMED
DISPUTED: DISPUTED
SUPERSEDED: SUPERSEDED';
CREATE TABLE IF NOT EXISTS "tender" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "number" VARCHAR(32) NOT NULL UNIQUE,
    "title" VARCHAR(200) NOT NULL,
    "description" TEXT NOT NULL,
    "status" VARCHAR(16) NOT NULL,
    "visibility" VARCHAR(16) NOT NULL,
    "category" VARCHAR(64) NOT NULL,
    "currency" VARCHAR(3) NOT NULL,
    "opens_at" TIMESTAMPTZ,
    "closes_at" TIMESTAMPTZ NOT NULL,
    "published_at" TIMESTAMPTZ,
    "closed_at" TIMESTAMPTZ,
    "awarded_at" TIMESTAMPTZ,
    "cancelled_at" TIMESTAMPTZ,
    "cancel_reason" VARCHAR(500) NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "owner_id" UUID NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_tender_status_47469d" ON "tender" ("status");
CREATE INDEX IF NOT EXISTS "idx_tender_closes__20270f" ON "tender" ("closes_at");
COMMENT ON COLUMN "tender"."status" IS 'DRAFT: DRAFT
PUBLISHED: PUBLISHED
CLOSED: CLOSED
AWARDED: AWARDED
CANCELLED: CANCELLED';
COMMENT ON COLUMN "tender"."visibility" IS 'INVITED: INVITED
OPEN: OPEN';
CREATE TABLE IF NOT EXISTS "bid" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "status" VARCHAR(16) NOT NULL,
    "currency" VARCHAR(3) NOT NULL,
    "total_amount" DECIMAL(18,2) NOT NULL,
    "note" VARCHAR(1000) NOT NULL,
    "revision" INT NOT NULL,
    "submitted_at" TIMESTAMPTZ,
    "withdrawn_at" TIMESTAMPTZ,
    "content_hash" VARCHAR(64) NOT NULL,
    "timestamp_token" BYTEA,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "supplier_id" UUID NOT NULL REFERENCES "organization" ("id") ON DELETE CASCADE,
    "tender_id" UUID NOT NULL REFERENCES "tender" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_bid_tender__5d89f6" UNIQUE ("tender_id", "supplier_id")
);
COMMENT ON COLUMN "bid"."status" IS 'DRAFT: DRAFT
SUBMITTED: SUBMITTED
WITHDRAWN: WITHDRAWN';
COMMENT ON COLUMN "bid"."revision" IS 'incremented at each submission';
COMMENT ON COLUMN "bid"."content_hash" IS 'sha256 of the canonical bid';
COMMENT ON COLUMN "bid"."timestamp_token" IS 'RFC 3161 token over content_hash';
COMMENT ON TABLE "bid" IS 'A supplier''s bid. Its prices are sealed until the tender closes: see workflows.visibility.';
CREATE TABLE IF NOT EXISTS "contract" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "number" VARCHAR(32) NOT NULL UNIQUE,
    "title" VARCHAR(200) NOT NULL,
    "status" VARCHAR(16) NOT NULL,
    "currency" VARCHAR(3) NOT NULL,
    "total_amount" DECIMAL(18,2) NOT NULL,
    "valid_from" DATE NOT NULL,
    "valid_to" DATE NOT NULL,
    "issued_at" TIMESTAMPTZ,
    "signed_at" TIMESTAMPTZ,
    "rejected_at" TIMESTAMPTZ,
    "rejection_reason" VARCHAR(1000) NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "amends_id" UUID REFERENCES "contract" ("id") ON DELETE CASCADE,
    "owner_id" UUID NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE,
    "supplier_id" UUID NOT NULL REFERENCES "organization" ("id") ON DELETE CASCADE,
    "tender_id" UUID REFERENCES "tender" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_contract_status_67ef33" ON "contract" ("status");
CREATE INDEX IF NOT EXISTS "idx_contract_supplie_4ee7e8" ON "contract" ("supplier_id", "status");
COMMENT ON COLUMN "contract"."status" IS 'DRAFT: DRAFT
ISSUED: ISSUED
SIGNED: SIGNED
REJECTED: REJECTED
EXPIRED: EXPIRED';
CREATE TABLE IF NOT EXISTS "contract_line" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "line_no" INT NOT NULL,
    "item_code" VARCHAR(64) NOT NULL,
    "item_name" VARCHAR(200) NOT NULL,
    "quantity" DECIMAL(18,3) NOT NULL,
    "unit" VARCHAR(16) NOT NULL,
    "unit_price" DECIMAL(18,4) NOT NULL,
    "amount" DECIMAL(18,2) NOT NULL,
    "contract_id" UUID NOT NULL REFERENCES "contract" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_contract_li_contrac_7074a3" UNIQUE ("contract_id", "line_no")
);
CREATE TABLE IF NOT EXISTS "purchase_order" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "number" VARCHAR(32) NOT NULL UNIQUE,
    "status" VARCHAR(16) NOT NULL,
    "currency" VARCHAR(3) NOT NULL,
    "total_amount" DECIMAL(18,2) NOT NULL,
    "plant" VARCHAR(64) NOT NULL,
    "delivery_address" VARCHAR(300) NOT NULL,
    "price_override_reason" VARCHAR(500) NOT NULL,
    "issued_at" TIMESTAMPTZ,
    "confirmed_at" TIMESTAMPTZ,
    "cancelled_at" TIMESTAMPTZ,
    "closed_at" TIMESTAMPTZ,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "contract_id" UUID REFERENCES "contract" ("id") ON DELETE CASCADE,
    "owner_id" UUID NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE,
    "supplier_id" UUID NOT NULL REFERENCES "organization" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_purchase_or_status_f62522" ON "purchase_order" ("status");
CREATE INDEX IF NOT EXISTS "idx_purchase_or_supplie_e27320" ON "purchase_order" ("supplier_id", "status");
COMMENT ON COLUMN "purchase_order"."status" IS 'ISSUED: ISSUED
CHANGE_PROPOSED: CHANGE_PROPOSED
CONFIRMED: CONFIRMED
REJECTED: REJECTED
CANCELLED: CANCELLED
CLOSED: CLOSED';
CREATE TABLE IF NOT EXISTS "goods_receipt" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "number" VARCHAR(32) NOT NULL UNIQUE,
    "received_at" TIMESTAMPTZ NOT NULL,
    "plant" VARCHAR(64) NOT NULL,
    "note" VARCHAR(500) NOT NULL,
    "order_id" UUID NOT NULL REFERENCES "purchase_order" ("id") ON DELETE CASCADE,
    "recorded_by_id" UUID NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE,
    "supplier_id" UUID NOT NULL REFERENCES "organization" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_goods_recei_receive_452f29" ON "goods_receipt" ("received_at");
CREATE INDEX IF NOT EXISTS "idx_goods_recei_supplie_b39d17" ON "goods_receipt" ("supplier_id", "received_at");
CREATE TABLE IF NOT EXISTS "purchase_order_line" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "line_no" INT NOT NULL,
    "item_code" VARCHAR(64) NOT NULL,
    "item_name" VARCHAR(200) NOT NULL,
    "quantity" DECIMAL(18,3) NOT NULL,
    "unit" VARCHAR(16) NOT NULL,
    "unit_price" DECIMAL(18,4) NOT NULL,
    "amount" DECIMAL(18,2) NOT NULL,
    "delivery_date" DATE NOT NULL,
    "received_quantity" DECIMAL(18,3) NOT NULL,
    "proposed_quantity" DECIMAL(18,3),
    "proposed_delivery_date" DATE,
    "change_note" VARCHAR(500) NOT NULL,
    "order_id" UUID NOT NULL REFERENCES "purchase_order" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_purchase_or_order_i_902757" UNIQUE ("order_id", "line_no")
);
CREATE TABLE IF NOT EXISTS "goods_receipt_line" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "received_quantity" DECIMAL(18,3) NOT NULL,
    "rejected_quantity" DECIMAL(18,3) NOT NULL,
    "order_line_id" UUID NOT NULL REFERENCES "purchase_order_line" ("id") ON DELETE CASCADE,
    "receipt_id" UUID NOT NULL REFERENCES "goods_receipt" ("id") ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS "statement_line" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "line_no" INT NOT NULL,
    "kind" VARCHAR(16) NOT NULL,
    "description" VARCHAR(300) NOT NULL,
    "quantity" DECIMAL(18,3) NOT NULL,
    "unit_price" DECIMAL(18,4) NOT NULL,
    "amount" DECIMAL(18,2) NOT NULL,
    "receipt_line_id" UUID REFERENCES "goods_receipt_line" ("id") ON DELETE CASCADE,
    "statement_id" UUID NOT NULL REFERENCES "statement" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_statement_l_stateme_78dcb2" UNIQUE ("statement_id", "line_no")
);
COMMENT ON COLUMN "statement_line"."kind" IS 'RECEIPT: RECEIPT
DEDUCTION: DEDUCTION';
CREATE TABLE IF NOT EXISTS "dispute" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "reason" VARCHAR(1000) NOT NULL,
    "resolved_at" TIMESTAMPTZ,
    "resolution" VARCHAR(1000) NOT NULL,
    "raised_by_id" UUID NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE,
    "statement_id" UUID NOT NULL REFERENCES "statement" ("id") ON DELETE CASCADE,
    "statement_line_id" UUID REFERENCES "statement_line" ("id") ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS "tender_invitation" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "declined_at" TIMESTAMPTZ,
    "decline_reason" VARCHAR(500) NOT NULL,
    "supplier_id" UUID NOT NULL REFERENCES "organization" ("id") ON DELETE CASCADE,
    "tender_id" UUID NOT NULL REFERENCES "tender" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_tender_invi_tender__46b5ac" UNIQUE ("tender_id", "supplier_id")
);
CREATE INDEX IF NOT EXISTS "idx_tender_invi_supplie_5ac377" ON "tender_invitation" ("supplier_id", "tender_id");
COMMENT ON TABLE "tender_invitation" IS 'Who may bid. An open tender gets one row per qualified supplier of its category when published.';
CREATE TABLE IF NOT EXISTS "tender_line" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "line_no" INT NOT NULL,
    "item_code" VARCHAR(64) NOT NULL,
    "item_name" VARCHAR(200) NOT NULL,
    "specification" VARCHAR(500) NOT NULL,
    "quantity" DECIMAL(18,3) NOT NULL,
    "unit" VARCHAR(16) NOT NULL,
    "required_by" DATE,
    "tender_id" UUID NOT NULL REFERENCES "tender" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_tender_line_tender__6cc6d9" UNIQUE ("tender_id", "line_no")
);
CREATE TABLE IF NOT EXISTS "award" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "quantity" DECIMAL(18,3) NOT NULL,
    "unit_price" DECIMAL(18,4) NOT NULL,
    "amount" DECIMAL(18,2) NOT NULL,
    "awarded_by_id" UUID NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE,
    "bid_id" UUID NOT NULL REFERENCES "bid" ("id") ON DELETE CASCADE,
    "supplier_id" UUID NOT NULL REFERENCES "organization" ("id") ON DELETE CASCADE,
    "tender_id" UUID NOT NULL REFERENCES "tender" ("id") ON DELETE CASCADE,
    "tender_line_id" UUID REFERENCES "tender_line" ("id") ON DELETE CASCADE
);
COMMENT ON TABLE "award" IS 'An award of a whole tender (tender_line null) or of one line, to one supplier''s bid.';
CREATE TABLE IF NOT EXISTS "bid_line" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "unit_price" DECIMAL(18,4) NOT NULL,
    "quantity" DECIMAL(18,3) NOT NULL,
    "amount" DECIMAL(18,2) NOT NULL,
    "delivery_days" INT NOT NULL,
    "note" VARCHAR(500) NOT NULL,
    "bid_id" UUID NOT NULL REFERENCES "bid" ("id") ON DELETE CASCADE,
    "tender_line_id" UUID NOT NULL REFERENCES "tender_line" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_bid_line_bid_id_c548eb" UNIQUE ("bid_id", "tender_line_id")
);
CREATE TABLE IF NOT EXISTS "webhook_endpoint" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "url" VARCHAR(500) NOT NULL,
    "encrypted_secret" BYTEA NOT NULL,
    "events" JSONB NOT NULL,
    "is_active" BOOL NOT NULL,
    "consecutive_failures" INT NOT NULL,
    "disabled_at" TIMESTAMPTZ,
    "organization_id" UUID NOT NULL REFERENCES "organization" ("id") ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS "outbox_message" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "channel" VARCHAR(16) NOT NULL,
    "idempotency_key" VARCHAR(128) NOT NULL UNIQUE,
    "recipient" VARCHAR(500) NOT NULL,
    "payload" JSONB NOT NULL,
    "status" VARCHAR(16) NOT NULL,
    "attempts" INT NOT NULL,
    "next_attempt_at" TIMESTAMPTZ,
    "last_error" VARCHAR(1000) NOT NULL,
    "sent_at" TIMESTAMPTZ,
    "endpoint_id" UUID REFERENCES "webhook_endpoint" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_outbox_mess_status_4d04e0" ON "outbox_message" ("status", "next_attempt_at");
COMMENT ON COLUMN "outbox_message"."channel" IS 'EMAIL: EMAIL
WEBHOOK: WEBHOOK';
COMMENT ON COLUMN "outbox_message"."recipient" IS 'an e-mail address or a webhook endpoint id';
COMMENT ON COLUMN "outbox_message"."status" IS 'PENDING: PENDING
SENT: SENT
FAILED: FAILED
DEAD: DEAD';
COMMENT ON TABLE "outbox_message" IS 'A message to deliver at least once; `idempotency_key` lets receivers drop repeats.';
CREATE TABLE IF NOT EXISTS "webhook_delivery" (
    "id" UUID NOT NULL PRIMARY KEY,
    "created_at" TIMESTAMPTZ NOT NULL,
    "attempt" INT NOT NULL,
    "status_code" INT,
    "error" VARCHAR(1000) NOT NULL,
    "duration_ms" INT NOT NULL,
    "message_id" UUID NOT NULL REFERENCES "outbox_message" ("id") ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS "aerich" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "version" VARCHAR(255) NOT NULL,
    "app" VARCHAR(100) NOT NULL,
    "content" JSONB NOT NULL
);""",
}

DOWNGRADE = {
    "sqlite": """
        """,
    "postgres": """
        """,
}


async def upgrade(db: BaseDBAsyncClient) -> str:
    return UPGRADE[db.capabilities.dialect]


async def downgrade(db: BaseDBAsyncClient) -> str:
    return DOWNGRADE[db.capabilities.dialect]


MODELS_STATE = 'eJztXWtz2kjW/itdfJlMFclr40syzO5WAVYSZmzwAk4mO2xpBbRNr4XE6GLHs7v//e3WDanVuiKBJHc+xLLUR+Cnb+c8fS7/aW3UFZT1d73lo6I+y3D1ADdQMVpd8J+WIm0gvohq0gYtabvdNSA3DGkhWzISo/FCNzRpSd59L8k6xLdWUF9qaGsgVcF3FVOWyU11iRsi5WF3y1TQHyYUDfUBGmuo4Qe//xPfRsoKfoc6+fX3lm5Ihml9CQV+N0T8QfitomS0cEv81NxuZYRF8XOnpXN/8W+4NETjZQutZ87vaNX6J/mI7aN4j6C8CgCCH+JH1n1bEN+7uxtefbRakj9hIS5V2dwou9bbF2ONv4/b3DTR6h2RIc8eoAI1yYArHzTkL3fAdG/ZKOAbhmZC789f7W6s4L1kygTg1l/uTcVCAKzUjYSUd2ilv1PgM/7D/uZ8Q19rURyNZ+JUmIliK0O3LFWFdClSDNIH//mf/d4dLtbdFvmAwefe5M3Z5Y8WEqpuPGjWQwu11v8sQcmQbFGrP3dgLzVIoCE9GQL9Cj8x0AaygQ9KUh2wckTfuRd5OsK9seuJ3ch2wXXhKwHwFv4DV2NFfnGGQEwHzIY3wnTWu7klH7fR9T9kC7/eTCBPOtbdF+ruG7u/VDxp7UntvQR8Hc4+A/Ir+Md4JNC96rWb/aNFvpNkGqqIlwNRWvlGq3vXRQ233PX6I4Y03N+DtaQJirmx+nuIsZCUJQz1uytL9ThGrjp93BqMR7NJbzDrAvdqrtzeTfBEmQrieHIlTLog+PtcwZjOhBthhIW8Syx13RuJE+HLcDocj7CQ/9e5MhNGWFbsD6+6YHfdSje+NtJ3UYbKg7HGv3bOY8bXl97EmuOdc2rMjJwnHevR/wKdTC++4c5mT2xarsodnX4yB8A+66QA+6wTCTZ5xAY72+YVlCpyEzsy3PtsVmFQ8Zq0sJWLrGN4J9nAUXx+kmIUn59EjmLyiALc0/Ly7Aw76cOB3brFq+5w9Cmj1uWK4QXdvpgrvcGvo/HXa+Hqk4AXc/9vc2Ui/CIMZuS+ezVXxl+EydWd0AXOxVwRpoPedc9q5l3OlUFvNBCur8ld7zLPBnF6maK3T2mlYtfb5FGwt1dY6c+u9+2kGqjz1UTHczGJVfIwApIsWXaaDJ+gHO7ooWKw+5glSvU2ss3OMvr3pKzV84F8g7ed0/P35x/OLs8/4CbWt/TuvI/p/+FoRs0fDW7In6Hpou4Y4SnhDQtycGlwKZoh4yIVli5gsXIsq7Jtl+c1VICxhkBfruHKlKEGyJ8DZFV91H+23gj+ChTVWOP+AHg5TrebNGlpkxT9GWq5aAtKtDbD4lVuYRokWjyZxBqUdIxDBhOAJXtAvbQsGpBSCk9O0hgBpFm0Ymg9DK6+5naVkxYMSjZQRawpLciYb863Zyyri5eMREZYcg8yoz4LagYuA3+OSc5qMgJLiXFUg6iqz/hvzgipX4ZTbiHKzT7Jy0xkBsQ4rBhWcsB5/8g8dfOflwYh/qhqED0ov8KXENdGgeqcG4+1B0lBf1rGen3h3d3drVSa9OydDtMDDOOA/3po2DpgbzroXQmt8MpQAL53OqwjU5wWV/9imAyquxsVgOuV71W13LkSoaW27mR0fUrU4QZuTcENK5xsfMkivJCWj8+SthIDqzF5onZU6o7XNvxo09nQdyRFerAwIn8M+equM4+5QgY2TZHyGRsLLZa7T7BFO9bbh7QVl6SxuHZbJ7n7tMYKBJr63AayunyEK7B4AfAJai8AfxBUVm2gq8BYSwbAWC9NTcMjFTxryICaDuB3AzcBKn6F9bFAwr8pRBzcq9ojQMY7mnQ6xOclOyplciqK5GeZSgyDk3UG5n7ORGWaqoVwstHOQzr8I4xqHz1EAusINIbt/qnTOTt73zk5u/xwcf7+/cWHEw/i8KM4rPvDTwTutt/wD3Pia0lfZ6HA3PYNPPu+TOMucxntLnNpucuEVPQjbhfCU5Rn6O5pim0CPh3IIZS7dlbAxoxbnblrZ/RaUk8ON41r53H35DLUHYIQsmYkss9FLRWxDe41dQNO0x1+Hme/tg+gs+zYO4my9uyD6p8lbNncw/V1erhWk6fY91AI791hNH+ZjkcRp0FOe3pLRksD/BfISC/NkPLpRQsTyQZS9HfkY4+hExF8AruxO2zf3PR+o0f04Hrcp3uCvKBPdcVWg09iVgMrINTAVaT4Jfu4Juxx2ZiSocW6g6qJqvaQ9eyekuOLNAtXU898KBoS5MhW7LC5MajGnDXvRiE/VEo6VKInbIozO3fxLADcjEf5tQZ5t90kY3w8b4maQpzKWeJYVLexnqmPUGkxmW73YTue6DbWouG1SzwJ7YEFlDSoAUumC1RFfgHI0MH0c+9t5+ISIB3oeFDC1TswhbqOxciR5BZp8GfQux3acjrYSC/E7T589FnGBxR81slZds6yH3q5ajDL3vgEClNhaic8cC7mCl6numSxSkm4lxy7av1kdkBEQJjTvokRIOkCQOLiP2h0rf0oMxsWlOKMTSJjY6sAeo69IyjJg9iqE1TDCmJ7whMjj4YQlOS9XOVeliXdINRBnn6mZXlPV7mnXb0dbbNsjkGpxqkhxW+OOQj3Yqj2qplRpbDCh+WDKwppIpGWSAUfiUQjr2ixCDTrQTuWPPOaJPNmCrBaA/UeSOB5rcoQED99qIE39k9RRgq0vt2PQNVIO+LCT262gaFav7hc5A86WOA5GObOSvoQzp9VZx1qc/6M82eBzf0PU1IMZDDi3K7gEm0kmd3lfjG6w225d458Dbs7pnuvhMHwpnf95vRD+8zqNNyVyN6K/Hn+KAVKQYa41dCSQZTFohwUfKU4n6fGWdqoJiskNhbjndArxbeTHl+iHuRKSkILcqOAghYrSxkx3UlwMKvmzdRMWB0jIBuoASEOKRtSYkLlw9Unyb3vYnkWG7ACmJaZ96J6DtlEriUwZavsFFZXgDOn0Fmw1obM6PbttzQU1J0+lIynb/EsbEG4dl5Wy6U27Zrg225SeOR6Wj/ntxN9cWkLqUosN1k4GBy3s55EM9zOspXGL5TijcHQ0IFFfOhA0iDQoSTDFcCGOpKtyGOHmF7Kqg71Ln4OwbOqPd7L6rP+7gnpaIGwPfvC8hAt86MYXPfvPs3D2yr/yRlwzoDXaR1rMANew1IrV5Pex1nGuWULdYH1Y65M7/o3w5lVIsW7nCsEbNzg66gLvEt6CT2Om6mdqGzJUCViPD18MgfsncHoW1nrHpVaIE1mgejEAmFfU0OSxVwkOi16HCq9rBxjRfPoimpkc5l22jfOV6mspPkaJHoZK+FLTCWYnUhls+Lhd2FNg6QyxRqqZAAoLddYn11skO5+98PXh7E+38inN9Gy3N+yyv6Wz8hYr7DZmqcOEC3Le7rKPY3/NIMkTM4aeELLVXfHaulriQSEqvd2JjNJURW0lGTgkBbHd7slswBbF5vtLsI22A19pEjaS4RCFham+mLxYkC9MrOsNfk4AGenl6d2BC5QScZhejTtNQf7Tvohb/ph6PvDUW/yzUtW5M3B6/HoU5+Rrqj/bSb0eIGehpMGjBUyVKCHuxhwF4PqQsqPwfkxePUB3jM5CnXQyGBw+47cx18nUPbQZGPuBWw0BOxgSCRS4J749NEq5Ql3bRAq+cjUgot9bOoiGXt06rknFJs//nf3WNbvBMHPI/l5ZK0mdU1NizTnkTxa5DDRIjzyKS/G6SOfeEROuSeJWG9ApLSXuJJeGApe5GlXSK6yR17pd4SCj7X4Ia3DbF+kOqO9iDmivQif0PJ4p+ZFkTQH3Bj+jLviN8YVv67wpvXFP46z+EDCO8dK0q6klxaD/fA/bscxIEunIVFRUrEgJIEJ/L6E1u8kHwk5171R8Tte3hrq248awlfgGcLHLpDAWpXJ722SyESy7pK6p8SxG3cRIC3fzM0Py5OzuXl+f3r6IzNfSskfxzOnVGdLaHOehvM0QdtLYlEHuGsiTC6JSRn4+7iciXYkcxb3EKWmIl10FjyRiV1fVWUoKRFLVEiY9mfB0jWcIHEeK+PxdWAu9IdUocPR3U1fmLw5pfgCbsyWn6Q5ZCIcSdtSFVcrCqta7rN4PcvfquxKxbsjciduhlco5hpMtRfoBmswirlZsBxWYvYFT6JxSeWLr9NqIEPOtOt6AlUuSJET3k6qjbcTs/F2wixy1UM3w1tGAZGbw+n0joRt2j/nynT4aWSFcVo/58pE+EUYWIGd7tVcEX67HU7ILeeCJjNSqU48ppPHdPKYzoiT2CdJRljv19RNFlIgKFU0N1Bd05bBDthQGGp2+GyZVw0e0nUzl/oeEOQxedWJOAlr6zp6UPIF2foFeR9XuY81+G+4zGeIU6K8n6vfzxgAUYOSzkpUEK0Bs2SbyNOWkhmCR2tGd0A9iS7GfAvFv+AfykrPmrTcL8ST6wbnkfqsZI7T9MtwNzOes7zxAcWNmfkx/pA87LX07M+HD9mu5sAtOmLb3uALwNV/0N5MZAO6UDKy1k5fALANT/rsV4j2iH4nfUNywu0Z4d28UVx0DLyLUMP8ywMwbU1tuZZ0KKoaXkv3BOzWedlYa9S+U2rmgMAgi/HqSs4h4Hp2lZZIwO86ZkUjKCrPJMD9u+q1KtaU9krj3+XOyVCXR8YF+yQOFxFcZucWHBSMDLjBcK0yuXUFhBro2lV86ksLMeuXrDC7Qg2EuRQPOp4EI9MWnLv8b5aB7LY/4KHe7WB6oHO9wp0IebqcfUYxL65cFQdCz1rLZhhRYvwAKP64wm+yHo71rSi0iQQlNbiqlGbgCulb02AyJO6jdhw5svI1KjPqjfMfnP+o9FrQYP4jj2/d4T3qDmZAlldtSVflp5xOqwFR7rRaHSc61nTCnWW6Jz7pp5Rfijuqpp1UEtL99YDTKgq0HDcIGDGjVgm1rJ52lBwHNhLYHIkImcLc9S7e9c7FrABjdup/Vz2Hb7LjHTWDU9T0CIzKImFO6UJSzWGcAenEJIXMPa8ApBvuOkZv85WiZtSlaS0lLG7GfdaOJWf8rQp2WnnEPWtxsuaCxFER/GiflWCmIksAt/jdE7GGGuMVnOfhPE9lV5YG8zzulA6bpMlJYFzZg6WAyd7FrcF4NJv0BrMucK/myu0dMR6ngjieXAmTLgj+PlcwpDPhRhhhIe9yrvS+9iZX5LOGA6EL/L/NlZkwwpLi+FYYDUefxIkwwK/qAuZt/PmT8dXdYDYcj8Tb694If4HgjVa6QVlyCqbjZ7gqZ9a3SLJhZ/v5QQf2l24D+O7hHfg8e9s56Vy+PTk5Oa1GL/BEWKUnwqI0k7RA03INxLv44exT+zJodkEpzh4xc4EZ4hPUdCbDHOmzypDk1Wxox1We96BpijHjyKZ6VaqryV8VTMMeLQK6mugesO7v8hEPfBmuHmAB8Y+94Nuag39gSXB2yT2xcmm8L7s9t2ar/lFi+2jYYghSH7LJPKlf9ymaL/Vzse7H8CA/Tn7WarbXVMdLQ35mN5iOYiiV2bkF20r6WupcXGaiUTyJxqXFLz64T0d/MjiqPnqIHLCuRJNG60+dztnZ+87J2eWHi/P37y8+nHjDNvwobvz2h5/IEA7AzxjTBn76AMVHmCnbOiXWQHqwFDrW3U8ze++FBLntTRW8djXebLhSYpx9jac0/Dr/npSG3+GjntAm8hnU4Er2c9rN8gIATunoVM3VIDkCjV4Q87NFJA26ZJjavlmgpu57GjSkS2U9BH0p2aDeqjJaMssCh9q043gP6LUWt7vmPIyPMxyc4Wg1juGojntXGXZ5gd5dxO9KnAhfhtPhmHhk+X/1/Lv6w51TV3+YqxJYJw0n0InmBDohTmCFV9+1arLyDUayAgGZXNTAYXQi8kWBsUY6wDvkC7C+MpDuDagBHSorAnu6PiiY5iL4+UoqZ4WeFq1yD6iarwOcLw7IFwdvFuYL1H7QAVYocGdI2o/H6QwNbpCVvDhiFvwyHY+i4itpSXp3Q0sD/BfISC/NCPOpGAsTyQZS9Hfk87KqFy17cizgPbaCAPFxtOYO3pEd38bfO+dt0Plnuj6K6QACZ2D3cxenNze93+h1a3A97tPbGnlBn+pDn1aqG3CbqRdZsjXux9//M29ZS5w9Kucty1Nq3jJUcjlvjb+O8DZGFIK5SZxVK9qj90ghJRCXWWOeabkDRj2PHB0sS29ZU8uuDCqOP34UJnmUguL9LLnPWtO0/SiftRAVeZzAtU+qutIncAlxh7QYJEXgeTuOoHggLUXN17RMciIYr2Z9qpNTg4elcd6Cr2RH4i2OH3xUIT+C4tUD/zqXcVZRooeZVofEviaziKEPhKfRVpZYJ5HRs8gTaFyyoeKdcRTVyBQw5rZvHLQXqfxALmL8QC7CfiBWDZWsVRK1QmrPVW2fL8b9Ay/cBJ88ebFCkhxcXoLyCL41qlZMMb+stZUqCm5ykTQtS00/Xo6y9HKUvpW0AJSbnqcptO3kd2AqoIKdn8FqWhW7QzGDUYXZWNimZAhLqtDGfZg4F1inqd1gLtBjnHIWXGLKv9KaKukrL2mQpFzZB3WG/HFQLyvRSNGQ2+p6jgzAIUFuSLII723W0JegFAc13jr3HdnuadjQh8X1RDeNgeMbXilKw3vTvGgOpGH2DA10aH3cIxImkJ5533CYZqa0LtWcHK7gZqsaUFm+4MHeYhiTVIt2nCmJdm3dQN1EO7LVA7Y5ATSI+0EnWSSxbBvoKjDWkgEk/AAjB1duA6e9DhTVWBP/WeMZLeG7FoVyoS9mJiQxHcZI3ZJh5oxN8nfzrCTc3q3V0t9gezdjnoHm5hc47XxIca6MW0VXByLPKCPLv/SlxTgg1ECkS8hUctxEr9XUlPY0YsnunRFQnwg3X+PNV1c34odycaaUb0BVqW7KtfqAlI8SkkluAYZNEHgeaxHIpKV472uaaA+MFQiIANbLLek2WJLS3fhXvG0AaWn9BiTF+X21wmNSB4YKyPh4K6MNMsADVud13EFho6Dwt6dxindtIe4Gz02Bqi9d3BSokSnQ+sFZsbp/sTP/AfUewLd4csp/+wGoGvjBWcG6f0Hbv/1Ar4apzIa0VUXjiorS+mz2edfY+VaT+RXpIF+RiLmRaqB7tJSMiGzGgeexKotCtyw3YM5VlMmyywPluIZQ/RWryRpCZIKfCBWh5JptRySxztOwhefRZOF5iCvkxbfKzva6UFcMDXcGv0dkz3HbNyCGKm4REn6bBdafUEIObw26Ho8+uc3pLB11r3N2oPC1xlU5ayT57WqbGXUbn1gBik19kK2SHhNpifHDDX64wQ83WolMgZXaYkpcfkjvsLiCYIt2LFtgtRV1f+PEI47ZGgJZ0g1gS4MH9AQVcK9qQAJbDd6j7+DNv5zquf/6sQ2Qgo1K4tkGV8AkKfaI75L6DGR1+Rg+4ij87XsE9Nifl0VB2kk0LvPI6WUaJpXeNnxE6uWPCazFkySbDHU0ugCP257XKZ2xlvzjrFCBeF/G+kTHA0evTirdkkf1ceKSE5etV0RcHjozebiPi0hN3r/7RrKPWz/myvTu9vZ6SG64V7lONgvajn1zD6/AWXQdt311NZ2WvlY1A5Av6iQ+xoi/7eWBu3hiiPwU/1xnQdwnwknldKSyBRnM5ODrE+Eop0P5D1OSvWNnkcRFmYxwqHQLetS7cvVFMklXxDLTs5bxqy5wLubK3+9618OP1j3vkqz801tSMeKKLP3O5VyZCL8Igxm56V5VZD/AsD6oGmJFtkVnYA9K1Tj3+tYOiiSRVLu/yUqm76b6ATrUnuy/s3o517E+vEKGmHlTD4pV94CnNTffw9X93DyHJyf4+qcziK/vTyXyPzzFdy46H8hTeIavP5ycVmPXdzzasnSJT6S63ZH3vC3VbnQWsxudMcqGqoohLQ0REk/CbBotJdg4vDsXqWoOXcQUHboIxfc4O3Yus52W5QdzVT6Y0019C5VVrp6mZXlPV7mnedGQ6BW1nkQco9uzFg3xqTHLR/wKGa4erLO3PXNf9IJvq+GYiEx/EdD9TKJawycCmCjppLCRyjiJz4QceaXwlA60ai6X6THjUMVDRZDYFyTSsKnzb4H2haePGgsOsX3I4eqeCA2c1zQVJrdI/Z4wXTmvaehSFMjKW2Cu5aaOKlJqBTfZbJBRwOC6xW8beC9rNGYFJF4jaDUs51oIJjwT0RYVM7Im7rsaO7CcbIiilSpwX8QaWl4i5vivoC3y7/6XZtgva4mgjh4UyTC1vbNIuu9pMlCkXPojZFVazwoVfpOTFrKBK7+XnrSozKRNHVMGtAq/I+UJGRYWewI2s9439F7XVNxIiMSeUDUsiCQAzzNcrFX1UcSjYauivafhV/t1gvO2JqFWqju6aSzU7zdQ1yXLxz7sjx5o0I51SLeaihtf2xQJgp3mJA0XfiN6IiEqBpAhCXJRlSX8GfyLSj38L/zU0IFTrELTwUpTt/jXLZQMnZUquIyPSFUv2/POUuB3Q5QMvFFsDZ4IhPvTV381qukxXhp/emxxKgqMcH1J9sD0iVfZAbYl3PSG111g/ZgrX4X+5/H41y5wLuhl8jhOlIyk8mm9kRii1XW1z+mPVEpaZ83PUKVFOyBU6WEvKU6SPC/BpxUc66ibwFU3gb11VqKA81Z6kVWJsfFH+xH7RA7vRHwcJ6FS/ID3c8bf0/0+nyskcYwfjj5l1LRcsS5wLubKVBjNuoD8P1c+4k2C+NjbP+fKldDDv5H/q7FROLozo6ci45/9IjwEekZH/lAWSUb9lyHOPRar47oWVnpJ0ggRahrLpSp62w9KNc7f+/QkbQLc2Ay4oQ1dJ1WvcvgA78T4ZKryZHKVyIxZmCgxnrcsNhET9FG5QYQzJ2PKTg5XE+DEtEzUCMtfvM/hSZnRjTlo+Sv7dWnOEitqkRyWlqd8lBi8fNiLKZqYp/ynUjHz0fgwy+W5pTbd4E9eJo8T3vWa5w0mvHPWJT9+OfLjqCy5KpIrqpEpktxt3zibqhSGlMfbNW3dYthZjKALorKQ3lu8ZDS1GKI88S01qXxVvtPC6hPhcIZSmduqb+Zc5gExDms8K+AaGnsyAhnCGioKayIX4JurbB6ANXgLgJbOYNpQeKl5mwyxf0sqAOaG+YbS8DI28ColGvfWjwhqxl1bEkgZdzUrmo7R4BPSnflnrQOKyhkZzsjUa6moqWWThpFx52SoyyO9GXwSh3NmKLNzC/ZnQAbcZE7nFxCqsldbTi7mMk06s8vobGaXoWRmFmLWL1lhdoUaCHMpSWOJfpDJRdMTaCDCxQ/kZwgfs6Drtq8yuK3hdAzIF3XSeZMiMG+/nv/UyoF4GsfjaLfjkNMxP4LIpFDmOoLAf1emBcNtf0jf1cH0MKcQxXugwu9buCT6dk6eL0qeewHR4Qm26ZoRXkqM06jxNKqfICiASp34XldPeBMJKWqAJfN9oQl/eG61mgtEshdbxFKZ352NJ486ujvbLjFSBGUayJyUwJsGwtHSRJl7RQkksDUXMtLXcAXcKQ2eJd2NFsO3DbULnteSATbSI9SJBP5IQJrir0CCyA3y0H0jK+C85E9LpHwjvfB+Dxz0kE/ioeicB674ktVgHthazLLNM58IV3K57cA9W2oFa4xJZu3G+5sIt5q6Mq098dZ5YT3BTbQSfAthsjHG7d3S7V3uQlSKC9Hx/Fu8QR5psO0mQaK95muaaK65LwYnANk15UjVNfJCsNKke+Nnz5bSwWkbdNpgbpKzDiBp0GdwScoKKJBk+yIpex5g2FIr84OYRpq7xnt4cKccbozVam1rsDEWrSNEeuX4RbhbDivNCA+LKjNxlLsF5VipaFmecaI6kVCcKCplw2dNnMyRZQxRfoTPiY1jERv+4VgAyCmjSqo5bJORDc/d/GfKhy2uU5fBTGnUvLBOLFilUjjB9ZJF4oRW1Bgax2sruut5sUFLnAjhREid5nSDiRDF3CxYPH6M2e5JNC4H91knhd1+1ok028mjoPFhIEPORIp4AlUOPqhS7EzVszqHt4yrSe/jLOPeYAt1gfVjrtze9a+H088ki7N3OVfIYoEbfB11gXdJn4Mcx6F+rWroT4wuhluL2F7Y0yEkGLe71HCCxMWF4N0hAkaoMBSjZBAdsVcN4dLUNJJ6N8cBAEu0ssnGnW0aqPfWWSe2uqBuMDxUfwYn4K9AUW3D9PCHBpzWfi209jMy1itNelZy9DQty3u6yj3NM/hFL5/1tCQZ3R4iANVnJbPbqF+GH1zFH61YWB2O9q8opom8v39I5Sf8OZudifp3HOeKwKpxzrblEv+mtlxLOhxrK4taD/P+gQbtWNrfaSqqXtsyWf9gfJpDxPAINX4WUO1pXlMNjp8FHP0soH5M9XA6vROuslLVtlQX2D/nCsZj9EkQbyfj2/GUPKBu4Bbj0cfh5MZ65l7OlYnwizCYkZvuFW7ZGw2Ea6t8oXeJ7147L7Z+VoPyttnCZaY6t36ZA3rFDkbfytqeqDmVZkpFz6jQ4ZpqSLIobVSTlT0tNtkULXqchFNlFZBMl22qkzrbVB3y0x3It7v47HRO+a0X0ckTkQVnlmzjID9LdWx8FnNsfMZwp9fQEls6GDwNraCIlTqddRgUM8SjXtA4/EsJZ0C6buYyMAKC/BygOoRw2J7Af9o90jb57EhKlvd0pXuamCyynK+nKVne05XuaVnV83WzX5D3cZX7mJ/fRmtG9WT/0pzf4r/UIvszV18LiPH4uKCey0/FeYKqqsIa42zAE/wcoEaYvXAWAPHA96paLrIpSoQFdplkdLm3zGG9ZSD+jnv6f3xS1ZU+sV/VIMgDw7KIQGK/R0fTIooP5isTWdCPhW5an5nSavx5Hjm8wN+xlaY24G4zr8dw5gX+UnUuL/BXx5NnXuDvUEHKvCRapi2Yl0SrXEk0gpZo+TxkHMNBwVc6is9Tj+Jc3mzH9mM7Or7pXdk8jyk32j1tEH1I8FWH0VuMzxM2WHLubEz51+iEmX5/22rq1jpCzwk5U35vyKvJJxcPeu51I/oNey4gNUKekYbDSp4vZk0ZTYlxV8s0rpY2NZnxCNonw89KEwKzXXJ2z6OmUKhmPcFNPnPyja29z5zEAk5U/AdP/EAl/YHK301JRvdoacF7pS7NTUTJT3bDdtzByh9+EXHll+GpSPk5Cj9HaTXuHOURsdLapYuOdWWrTEi3+nfT4UiYTsXr4UAYDYQuoO/MleF0LP50cnJKwmftK/ve6bl307rEd3uzj+Lp5U/nP+Hb3vVcGc8+C5MusH60cuignTTnDJ3oc4ZO6Jzh+HHlx560JR/k8CyzZR/gOFFnrBDBaNM/IPSarX34fYvwPpERvqBU6fgdMtVENvhUnwdtZjs+JMrN+SRzPuivzN2f0xn1oYFWpRqnU9xnkmFqsMUwT3cP23EmqR5oxq1QboVyK7TVOCvU/huyekUFpRqoVRdvtCyhZtgMH8QvVR6gttVQtjQzMa84WJKsGvcA2dByrW8BwQYubzVZzlxMEiodZ81s0+BUNqVwA2SQYytgs8Uq3SNkQN1HiqS9RDExIWEK9cWLYR9wNYYh6F+P+4Hpg9HtD0e9ybc3N73ffgzMoevx6JPb3j81+t9mQo+1nmkiNkWyBgfTgtxGZkNr6tkDr0OSPEVAENsnqOnZmZ2gFB+w8aSOg1YBfI57fP1l98Z6ApxI6QRHWHLI9W4V5bRZ6qwB9M6TGmZTP2R8ezUX3rTw+jafqpGS+K/EndWKYCWdp+0kWhK3Ex+dhknEZKsHfHazWyBsq2qGJP+gg9tfh0BSVgAZOsDW9BNpg1/dBlBZai9bPEKAiTtds6Q2km7gS/z8HX3UXOLHpKktQLP4roMArzPAKdZa7CANplgb7+gzGY9nXUD+nyvT4afRcPSpC5wLep1MQ1sUH85X9VoEDIaoN5gNvwgZ1zdHqgvsn6SowGw4sWsKWBfkzpfxr/Yd66IiHWQu/g1ZyaGieTufSJVnR07qrpQs4FgvRHaYU2qQPYkGYlz8EUPOg51SDnPKKC7T0tdS5+LSVW+vhIlf682zlJR70LaFm3A/zOD3qJLHYdFGDPs4ZUr4bRbQo1xo2dy029zXFQNCV1MOcK5RIzq2jmutpT8oiHxFzuOCGnVJWecFimqIC3ivahEBndHWR1CygdZHTayNVCegpLOke4NFlyX3sifIO7nSnazBJ/UxF5MQlOSZ6avey05IYB6/BoYwd3FI4+JQGQ/0+sytujqgVxPh2vufGxjxqPDo3cN27EFPoFnBGWb9Cd+3UEOqBaF7bM7TzfLTk1qptg0+PTl+NG2jqzTvFr+08O4kqsyNtb7hf29vbvJwknHZe12Q30di/J4NsYj3My1i5YoDeif3qjPwOWBA1lFqIoSQeYj6ugCMdAmMTNvtkzhc2u7TstbRgnN2V/1EOawIXk16H2cZNT5bqAusHyQzB1XqnlnI/mo4vb2zCtm7V3NlencrTKbCFbm7u86zOPPS9QdRNNLoGelL1z+QlGP5StfToq8xa2qWfL8r07L28oHNEueAxwFuqIYk5wObFuVAxwHNK6g3/7yDV1B/LT29QvrWzEfmUaK8n6vcz7y2drTCXU/OltHtobKPvAp0wTGzWw0+IdXUM2JKifGDaF5bm9fWPjq8xdfWdud5ARAHDudruSgkwkutiry4dlE+KYUU13bU+z1rHFzZb2kQ2rRjICJnM3ui1MDJHoCpgGIZHkS8UkYO96+osuMhVFO4gZVWbTzgaMYrjh9blWwD7gL2eugEXnE8VecW7L3Q/JQEwkAY3pKsBPbFXLkSru4Gs+F41AXeZSsd+CX7H/i/OrNPos5qA2JV7o68TghlxMDXtjZ5XQq31rp09nFB5nWzq+Jt4C+3mJEeZohy4j3sPGnbdBmZd0qOU+8J1Lvfsj0gMVxRcJOJd2p8JVPD/sleAMg5SrNWc4FIhJqxStaHM64J5qVyfDNI8lW2GOSe86Qdx+oZuza8shBn7Thr12oca8cDN0sN3ORFUMvOAhLLy0UnkTsaL1daxpW4RamM9HGvMrbu9q5/PZx+JgFy3uVcwehMrfA66+dc6X3tTawgOucCt+iNBsL1tdXIvawGr01cFBZIZnKt6boy+IYDzqTh6Mtw5uCYoUcdsS5wLubK+FYYdQH5vxp9QlJbPqhatlhHn0wDVrPS84/ycNKyw0nVLVT0HOaEX47HjVQngCBsPCxlVYd5ujggeBiDsSKV1GvXx1tzISN9nYsYoGX5bK5yT1uTMhf/4xfkfVzlPpYIpZyrk4OSvJer3MtLYqfJcr7JTMnynq5+T+fIOxwSbJzNeJGKbbyIYRsvwmwjj5SORr+ehySMacYjpQ+dXJqH7h0udM9S5PZ0wuiRhg1COjDbF2hfePqoseDgp5YjyJ4IDZzX1FZ7jEcJKU/IsCDYEyfbS2fova6pw6qAGFAbKh4AmtU5zDe4It3EggMwyWFMRMHmicWfv65VsJFeAF5534GeAsgJALDfBR6goQNVgUBTn8EW3/jDlGSE/8IVcDMwkEJ3pGSzewQGntdY3iMfw1WgD/B5zBjWnT+dl26DjmANFj1wBHhhaO4hV+31q6bGXxoPuRVckt0pVxK8oCin0qpj40f2cw4uLSzJybQ0ZBrP7FVK3JarhGUCNSDEIY3nq3Z63J6E1S4Io56wJlJWgWGVHKjFs9CVkoUumhYs37yMSi4UNNcTTcqy0grtpjLPKXTsFbfNbS9ue/GcQqXmFEIG3GC4VpmCkgJCDQxMKt693ELM+iUrzK5QA2EuJf5L38IlukfLiMrE0WiHBLnRnsZor21mpuMYmbmTM2UZym77A47g28H0MIO4+OgqDf5hIg1rhAvWIJaiqlRSYnuWqawPkcuoUskZJs4wVYUAScEwVc0rqppzP9EpSizASaOPVtxDIz2FZjk0Msgz19ExmjYzdZ64h1NjnBprLDUG8aCVsxgJnkDj0vZ0LtLwN7hVNK9wEWJwSLY6WXrJTOLQcg3kcU47aXgF3CraKOuEc7mqMku5+GU6HkXYY64AvW6hpQH+C2Skl8b3+jaPhYlkAyn6O/J5x9g4CECBJSuU24dO40OtReQFdG6fraTrzyrWXtaSvs4y+kOCuYb/YRTklqQ9qEoHrX62hIGpGEgGWFdCT9ZXy7USXaRaiS5iVqKLcE1l0fpSjGWor+JJICkRapVfjuqHBRYsa3a4G8Fh50F/PL4OzIP+kE5idXfTF/C6RNFw4TMSWV1K2bK27SQOSMH9uX47GB2GhPuQYlR/iBzTH8JZ8TZQ/FNlJeONy4znEzogzD0dSf83XUvKw1pCh4G7+PMoWdINUVYfkJLDTAgJc0fWKjuy2mxCVno2KMVz4VO5rHzeZFkDgcOinP1OiAemfPe4K2Cq8ODwQEv2uHSmfQEopwy+rubykAhucHnc45xB0Z8hOUXE7fACLsPVg1XLYN+jh+DbmtMPoTwMx0euLutDMPGTuUKGCJ8KAIy8SXhq7igz1Ee4b9x2zzTWM/Kexo4n67xU3EgsT0KeSiKwYB0+Z0ItwXLrw4i4hQ4ZOjYvLb7DSl2aVgmkJ6gVUGL8ynndF/ttDV3YNbhUrRyGTlmjPUHzl4Fq6jhDK7jZqgbJei0+wpc9ERvu3obtiqZipqiG51e8J2Aj36uaCtdWlhTcZLNBRgHq/C1+28B7WWMx8xIra5CUX9h7oBHYJs6rGrr627oYGW37YqWpK9M6/SWoNXWI2XCR/VLbFy9TW64lHY61ZnmiBsNQ0IMiGaa2r4Pk1H1Po2ehV8JzX7QaWO6UAZft41xIfrSmAqXBrartO5yaRWGX6pn8FS7Wqvp4BWWETVDiXxlyUqabtOP8lZ/txoRW37Xmvsvcd5n7Lu+Wuzq4KKTxXZYMvGtvGV0eGdbvk+Bh/QyXNbucYkRgfySqlFQuZCu2GRYNLNQ0NVN5XE+gceHkpyep4slJs2jH7xNGBVdTs30WNgz1LXLsUlKHWxVOajJyN1DXse6W1Q0sIMUdleIdlRy0CvCeGZvGQv1+s3tfPeFN9qMJjK8qpStzzBVBWW1V+/tHWTRek3Yaiwb6W3OLhls03KJpNc6iMbVMsZhO8wbGBpaScwgqS+1lS+aGDvEsYcysPlIk7SVCI2dI0+FQL4ZN3NcM+7h4KCfUz5s8GOD+cNSbfPMCA70ZdD0efeozQgP732ZCj+6LCBfC6EDNnQSP1Az0SBGRmjw48MDBgeRD4dIk0In3EpLZR36RZmuUOLdfaaBXSCd/Zq66C0FRHq5W5XA1HlrFQ6uqzlqkDq1KEwLkUCB7nlVnJYyquYId9tC6BzW0XLcYzI7zpB1H6Ei7NpWhcSL1DOZqyNAqnGGxH31T+fOcaLrmaefxntZ494k00IAvJYUJmVQZEHaaNxDd07RHaHEnaDS6JL7I8YFLa5P7RA5vlB9HZyrM/A5pV4c8r/jf/wN95z2d'
