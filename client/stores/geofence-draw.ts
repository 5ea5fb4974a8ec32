import { defineStore } from 'pinia';
import { ref } from 'vue';

/** While a key area is being drawn, map clicks place its corners instead of selecting things. */
export const useGeofenceDrawStore = defineStore('geofence-draw', () => {
  const drawing = ref(false);
  return { drawing };
});
