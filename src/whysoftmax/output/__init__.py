"""Everything the checked results become: terminal tables, JUnit XML, LaTeX, PDFs,
figures and the property matrix. Output never runs a check or a proof."""
