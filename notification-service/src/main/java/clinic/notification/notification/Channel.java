package clinic.notification.notification;

public enum Channel { EMAIL, SMS }
