"""The audit trail: who did what to which object, when. Written by every layer, read by admins."""
