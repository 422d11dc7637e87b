"""Planning people: the weekly days-off form and its decisions, Erlang C staffing, and the
week's roster with its solver."""
