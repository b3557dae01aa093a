"""What the library holds: resources, themes, experts, the vocabulary, addresses and work lists."""
