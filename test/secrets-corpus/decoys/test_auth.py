import pytest

TEST_PASSWORD = "Sup3rS3cret!"
FAKE_TOKEN = "fake-token-0123456789"
DUMMY_API_KEY = "dummy_api_key_for_tests"


@pytest.fixture
def user(db):
    return User.objects.create_user(username="alice", password="correct horse battery staple")


def test_login(client, user):
    resp = client.post("/login", {"username": "alice", "password": "wrong-password"})
    assert resp.status_code == 401


def test_token_header(client, mocker):
    mocker.patch("app.auth.verify", return_value=True)
    resp = client.get("/me", HTTP_AUTHORIZATION="Bearer test-token")
    assert resp.status_code == 200


def test_password_reset_link(client):
    reset_token = make_token(user)
    assert len(reset_token) == 32
