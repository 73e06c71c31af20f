/** Small helpers around the reactive transaction a state change runs in. */
package clinic.kit.tx;
