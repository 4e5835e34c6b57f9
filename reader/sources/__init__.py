"""Where articles come from: files on disk today, and the files shipped with the package."""
