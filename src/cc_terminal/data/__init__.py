"""Data shipped with the workstation (the closed lists and the campaign dispositions), read
with importlib.resources."""
