"""Today's workflows: `today` builds the page from `sources` (one per kind of `items`),
`actions` does, snoozes and opens single items, `goals` counts the week, `feed` serves the
calendar and `digest` sends the daily email; `clock` is the member's own day and week."""
