// Tests for Query.
