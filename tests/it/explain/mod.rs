mod offline;
