"""Tests of the screens as a whole: sign-in and the shared screens, their snapshots, the row
table, worker failures, a tmux run."""
