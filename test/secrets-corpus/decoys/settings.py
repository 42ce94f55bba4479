import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DEBUG = os.getenv("DEBUG", "false") == "true"
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ.get("DB_NAME", "app"),
        "USER": os.environ.get("DB_USER", "app"),
        "PASSWORD": os.environ.get("DB_PASSWORD"),
        "HOST": "db",
    }
}
AUTH_PASSWORD_VALIDATORS = [{"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"}]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
PASSWORD_RESET_TIMEOUT = 259200
CSRF_COOKIE_NAME = "csrftoken"
API_KEY_HEADER = "X-Api-Key"
STRIPE_API_KEY = settings_from_vault("stripe/api_key")
MAX_TOKENS = 4096
token_url = "https://auth.example.org/oauth/token"
password_field = "password"
password_hash = "5f4dcc3b5aa765d61d8327deb882cf99"
commit_sha = "8e5e7e5ab8b370d6c329ec480221332ada57f0ab"
REQUEST_ID = "c0a8e2a4-6b1f-4c8e-9f3a-2b7d1e5f9a10"
AWS_SECRET_ACCESS_KEY = None
client_secret = get_secret("oauth-client-secret")
