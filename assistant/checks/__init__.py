"""Fill and verify: derived cells, the rules, numbers in text, the facts ledger and the number guard."""
