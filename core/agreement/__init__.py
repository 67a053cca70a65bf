"""Agreement between coders: quotes of several projects of the same texts, matched and compared."""
