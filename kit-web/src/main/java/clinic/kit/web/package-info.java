/** Request ids, trace context and RFC 9457 problem documents shared by every service. */
package clinic.kit.web;
