// Tests for Curl.
