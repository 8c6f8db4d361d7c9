//! Unit tests of the search on hand-built requests.
