"""Open-data exports of the catalogue: CSV, CPSV-AP JSON-LD, DCAT-AP and the CKAN action API."""
