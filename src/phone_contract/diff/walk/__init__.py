"""Walk two specs side by side: operations here, schemas in :mod:`.schemas`."""
