"""Knowledge-graph core: IRIs, the record-to-RDF mapping, validation, the store, export and the CLI."""
