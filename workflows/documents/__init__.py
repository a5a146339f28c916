"""Documents: what each kind shows (contexts), how it becomes a PDF (render), how it is signed, stored and verified."""
