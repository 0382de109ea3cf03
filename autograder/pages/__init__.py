"""The HTML pages for learners and trainers (feedback, report, marking guides): their texts,
templates, charts, and what a learner must never see on them."""
