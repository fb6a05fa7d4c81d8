"""Import and export (DESIGN.md section 12): JSON, Excel workbooks and measurement CSVs."""
