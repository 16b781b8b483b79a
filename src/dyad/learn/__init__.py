"""Training the event model on the team's corpus, and scoring it honestly (cross-validation
on the training pool, a held-out split no choice was tuned on)."""
