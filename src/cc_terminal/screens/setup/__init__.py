"""F10 and F11 for team leads: the setup tabs and their forms, and the sync conflicts."""
