"""Full-screen views: reading, review and the dialogs over them."""
