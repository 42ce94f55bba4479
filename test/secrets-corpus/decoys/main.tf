resource "random_password" "db" {
  length  = 32
  special = true
}

resource "aws_db_instance" "main" {
  identifier        = "orders"
  engine            = "postgres"
  username          = "orders"
  password          = random_password.db.result
  storage_encrypted = true
}

variable "datadog_api_key" {
  type      = string
  sensitive = true
}

provider "datadog" {
  api_key = var.datadog_api_key
  app_key = data.aws_ssm_parameter.dd_app_key.value
}

provider "github" {
  token = var.github_token
  owner = "acme"
}

resource "aws_secretsmanager_secret" "api_token" {
  name = "prod/api-token"
}

output "db_password" {
  value     = random_password.db.result
  sensitive = true
}
