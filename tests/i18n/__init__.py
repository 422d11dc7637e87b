"""Tests of the languages: which one is spoken, the Czech catalogue, a person's own
language, and nothing on a screen left untranslated."""
