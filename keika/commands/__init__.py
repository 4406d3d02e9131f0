"""The `keika` commands, a small module per group; `keika.cli` registers them."""
