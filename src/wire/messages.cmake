# header, OPEN + capabilities, NOTIFICATION, KEEPALIVE, ROUTE-REFRESH, framing
