"""Answers: the answer contract, evidence, extractive composer, refusals, the LLM path and citation checks."""
