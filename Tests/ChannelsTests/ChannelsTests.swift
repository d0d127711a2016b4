// Tests for Channels.
