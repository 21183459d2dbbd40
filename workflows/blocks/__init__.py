"""The building blocks procedures are made of: intake of a complaint, the investigation
clock, inquiries, rectification orders, the penalty procedure, the transfer of a suspected
crime, referrals to partner departments and closing the case."""
