"""The report rendered for people: the Word file and the HTML preview."""
