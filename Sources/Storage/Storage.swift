// The Storage stage: see ARCHITECTURE.md for what it owns and what it may import.
