"""Predicting with a trained run on new data: files, folders, and digits drawn by hand."""
