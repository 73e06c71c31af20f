-- One database per service (docker-compose only; ./clinic creates them itself).
create database booking;
create database offer;
create database callback;
create database notification;
create database analytics;
create database gateway;
