"""What leaves the kiosk: the intake summary, CSV, FHIR."""
