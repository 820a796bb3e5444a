"""Test hooks that are not part of the product: the probe and the script driver."""
