"""Learning a site's chrome from the corpus: what recurs on a site's pages, written as reviewable rule files."""
