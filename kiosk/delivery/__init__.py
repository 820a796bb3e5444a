"""Delivery to the clinic's EHR: the settings, a FHIR client, and the background sender."""
