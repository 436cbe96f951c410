"""The citizen portal: home page and the pages that belong to no single domain."""
