"""What the admin pages show and do, as plain services: the audit trail, the lesson cache, the content
check's status and the answer gate's refusals (the users list is services/user_admin.py)."""
