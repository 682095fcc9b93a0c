"""DynamoDB backend of the Store (AWS mode): one table, single-table key design."""

from dal.dynamodb.schema import TTL_ATTRIBUTE, table_definition
from dal.dynamodb.store import DynamoStore

__all__ = ["TTL_ATTRIBUTE", "DynamoStore", "table_definition"]
