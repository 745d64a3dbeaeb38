"""Mission profile pages, one module per area: steps, measures and review, history, cohort."""
