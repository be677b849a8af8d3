"""The Qt window: one module per panel; the main window only composes and wires them."""
