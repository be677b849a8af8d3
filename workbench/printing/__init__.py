"""Printing reports to PDF with Qt (QTextDocument + QPdfWriter): the one non-GUI use of Qt."""
