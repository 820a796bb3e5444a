"""The intake: the patient's path, what they answered, flags."""
