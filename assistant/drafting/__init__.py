"""Drafting the narrative parts: the LLM client, prompts, the drafter and its evaluation."""
