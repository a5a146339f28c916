"""Documents: signed PDFs, their versions (one per countersignature) and the signatures in each."""
