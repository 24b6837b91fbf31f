import YourICT
