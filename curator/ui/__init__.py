"""The desktop app. Only this package imports Qt; it holds no business rules."""
